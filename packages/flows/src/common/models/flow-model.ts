/**
 * A normalizing flow: a base distribution p_Z and a bijector f from data to latents,
 *
 *   log p(x) = log p_Z(f(x)) + log |det ∂f/∂x|          exact, one forward pass
 *   x = f⁻¹(z),  z ~ p_Z                                 sampling, one inverse pass
 *   log p(x) = log p_Z(z) − log |det ∂f⁻¹/∂z|            the density of a sample, from the same pass
 *
 * trained by maximum likelihood. Every model of the package is this class with a different bijector
 * (each model folder's model.ts builds it from its config); ActNorm layers get their data-dependent
 * initialization from the Trainer's first batch (`initialize`).
 */
import {
  ConfigError,
  type ExactLikelihood,
  type GenerativeModel,
  type LikelihoodOptions,
  type ParameterStore,
  type SampleOptions,
  type SampleStage,
  ShapeError,
  type StagedSampling,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BaseDistribution } from '../base-distribution.js';
import type { Chain } from '../bijectors/chain.js';
import { eventSize } from '../bijectors/shapes.js';
import { nllObjective } from '../objectives/nll.js';

export class FlowModel<Config> implements GenerativeModel<Config>, StagedSampling {
  readonly eventShape: readonly number[];
  readonly likelihood: ExactLikelihood;

  constructor(
    readonly name: string,
    readonly config: Config,
    readonly flow: Chain,
    readonly base: BaseDistribution,
    private readonly store: ParameterStore,
  ) {
    this.eventShape = flow.inputShape;
    this.likelihood = { kind: 'exact', logProb: (x, options) => this.logProb(x, options) };
  }

  /** Per-example log p(x) in nats, [batch]; x of the event shape, or flattened. */
  logProb(x: tf.Tensor, options: LikelihoodOptions = {}): tf.Tensor1D {
    this.unconditional(options.condition);
    return tf.tidy(() => {
      const { y: z, logDet } = this.flow.forward(this.asEvents(x, 'x'));
      return tf.add(this.base.logProb(z), logDet) as tf.Tensor1D;
    });
  }

  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      const { x, logProb } = this.sampleWithLogProb(n, options);
      logProb.dispose();
      return x;
    });
  }

  /** n samples and their exact log-densities from the same pass (no second forward pass). */
  sampleWithLogProb(n: number, options: SampleOptions = {}): { x: tf.Tensor; logProb: tf.Tensor1D } {
    return tf.tidy(() => {
      const z = this.baseDraws(n, options);
      const { y: x, logDet } = this.flow.inverse(z);
      return { x, logProb: tf.sub(this.base.logProb(z), logDet) as tf.Tensor1D };
    });
  }

  sampleStages(n: number, options: SampleOptions = {}): SampleStage[] {
    const z = this.baseDraws(n, options);
    try {
      return this.flow.inverseTrace(z);
    } finally {
      z.dispose();
    }
  }

  /** Latents f(x), [batch, ...latent shape]. */
  encode(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.flow.forward(this.asEvents(x, 'x')).y);
  }

  initialize(x: tf.Tensor): void {
    this.flow.initialize(this.asEvents(x, 'initialize'));
  }

  trainingPlan(): TrainingPlan {
    return {
      players: [
        {
          kind: 'gradient',
          name: 'flow',
          variables: () => this.store.trainable(),
          objective: nllObjective((x) => this.logProb(x)),
        },
      ],
    };
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  dispose(): void {
    this.store.dispose();
  }

  private baseDraws(n: number, options: SampleOptions): tf.Tensor {
    this.unconditional(options.condition);
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError(`${this.name}.sample: n must be a positive integer, got ${n}`);
    const temperature = options.temperature ?? 1;
    if (!(temperature > 0))
      throw new ConfigError(`${this.name}.sample: temperature must be positive, got ${temperature}`);
    return this.base.sample(n, this.flow.outputShape, seedOrRandom(options.seed), temperature);
  }

  private asEvents(x: tf.Tensor, what: string): tf.Tensor {
    if (x.rank < 2 || eventSize(x.shape.slice(1)) !== eventSize(this.eventShape)) {
      throw new ShapeError(
        `${this.name}.${what === 'x' ? 'logProb' : what}: expected [batch, ${this.eventShape.join(', ')}], got [${x.shape.join(', ')}]`,
      );
    }
    return tf.reshape(x, [x.shape[0], ...this.eventShape]);
  }

  private unconditional(condition: tf.Tensor | undefined): void {
    if (condition) throw new ConfigError(`${this.name} is not class-conditional; leave out \`condition\``);
  }
}
