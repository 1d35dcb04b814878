/**
 * The __MODEL_NAME__ model: a diagonal Gaussian over flattened examples,
 *
 *   log p(x) = Σ_d [ −½ log 2π − log σ_d − ½ ((x_d − μ_d) / σ_d)² ],
 *
 * with μ and log σ trained by gradient descent on the negative log-likelihood. Small on purpose: replace
 * the parameters, `logProb` and `sample` with your model and keep the rest of the contract.
 */
import {
  type ExactLikelihood,
  type GenerativeModel,
  type ModelContext,
  type SampleOptions,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { __ModelClass__Config } from './config.js';

export class __ModelClass__Model implements GenerativeModel<__ModelClass__Config> {
  readonly likelihood: ExactLikelihood;
  readonly eventShape: readonly number[];
  /** Mean μ, [D]. */
  private readonly loc: tf.Variable<tf.Rank.R1>;
  /** log σ, [D]. */
  private readonly logScale: tf.Variable<tf.Rank.R1>;
  private readonly dims: number;

  constructor(
    readonly name: string,
    readonly config: __ModelClass__Config,
    context: ModelContext,
  ) {
    this.eventShape = [...context.eventShape];
    this.dims = this.eventShape.reduce((a, b) => a * b, 1);
    // Deterministic initialization; a model with random initial weights would draw them from context.seed.
    // tf.tidy frees the initial values (a variable keeps its own copy) and never disposes variables.
    this.loc = tf.tidy(() => tf.variable(tf.zeros([this.dims])));
    this.logScale = tf.tidy(() => tf.variable(tf.fill([this.dims], Math.log(config.initialScale))));
    this.likelihood = { kind: 'exact', logProb: (x) => this.logProb(x) };
  }

  /** Everything a checkpoint saves and restores, by stable name. */
  variables(): Record<string, tf.Variable> {
    return { loc: this.loc, logScale: this.logScale };
  }

  /** Per-example log p(x) in nats, [batch]. */
  logProb(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, this.dims]);
      const logScale = tf.maximum(this.logScale, this.config.minLogScale);
      const z = tf.div(tf.sub(flat, this.loc), tf.exp(logScale));
      const perDim = tf.sub(tf.neg(tf.add(0.5 * Math.log(2 * Math.PI), logScale)), tf.mul(0.5, tf.square(z)));
      return tf.sum(perDim, 1) as tf.Tensor1D;
    });
  }

  /** n draws μ + T σ ε, ε ~ N(0, I), at temperature T (default 1); the same seed gives the same draws. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    return tf.tidy(() => {
      const noise = tf.randomNormal([n, this.dims], 0, temperature, 'float32', seed);
      const scale = tf.exp(tf.maximum(this.logScale, this.config.minLogScale));
      return tf.reshape(tf.add(this.loc, tf.mul(noise, scale)), [n, ...this.eventShape]);
    });
  }

  /** One gradient player: minimize −(1/N) Σ_n log p(x_n) with the run's optimizer. */
  trainingPlan(): TrainingPlan {
    return {
      players: [
        {
          kind: 'gradient',
          name: 'likelihood',
          variables: () => [this.loc, this.logScale],
          objective: {
            name: 'negative-log-likelihood',
            compute: (batch) => {
              const logLikelihood = tf.mean(this.logProb(batch.x)) as tf.Scalar;
              return { loss: tf.neg(logLikelihood), metrics: { logLikelihood } };
            },
          },
        },
      ],
    };
  }

  dispose(): void {
    this.loc.dispose();
    this.logScale.dispose();
  }
}
