/**
 * What every model of the family shares: a latent-variable model p(x, z) = p(z) p(x|z) with an amortized
 * Gaussian posterior q(z|x), trained by maximizing a lower bound on log p(x).
 *
 * - `lowerBound(x)` is the per-example ELBO, E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)), with β = 1 whatever the
 *   model trains (so the reported ELBO is always the bound itself).
 * - `importanceSampledLogProb(x, { samples: K })` is the IWAE estimator log (1/K) Σ_k p(x, z_k)/q(z_k|x),
 *   z_k ~ q(z|x) (Burda et al. 2016; Rezende et al. 2014, App. E): a lower bound in expectation that
 *   tightens to log p(x) as K grows. The K weights are drawn in chunks and reduced by a streaming
 *   log-sum-exp, so K = 5000 fits in memory.
 *
 * Subclasses define the forward pass (`forward`), and encode/decode/sample. All state lives in one
 * ParameterStore under `encoder/…` (inference network, φ) and `decoder/…` (generative network, θ).
 */
import {
  checkCondition,
  deriveSeed,
  eventSize,
  flattenBatch,
  type GenerativeModel,
  type LatentModel,
  type LikelihoodOptions,
  type LowerBoundLikelihood,
  ParameterStore,
  type SampleOptions,
  seedOrRandom,
  streamingLogMeanExp,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ObjectiveSettings } from './config/training.js';
import { elboPerExample } from './objectives/elbo.js';
import { iwaeBound, logWeights } from './objectives/iwae.js';
import { boundObjective } from './objectives/objective.js';
import type { PassOptions, VariationalPass } from './objectives/pass.js';

/** Floats one decoded activation tensor may hold when many latent draws are decoded at once (32 MiB). */
const DECODE_BUDGET_FLOATS = 2 ** 23;

export interface ElboTerms {
  /** ELBO(x) = reconstruction − kl, [B]. */
  elbo: tf.Tensor1D;
  /** E_q[log p(x|z)], [B]. */
  reconstruction: tf.Tensor1D;
  /** KL(q(z|x) ‖ p(z)), [B]. */
  kl: tf.Tensor1D;
}

export interface EstimateOptions extends LikelihoodOptions {
  seed?: number;
}

export abstract class VariationalModel<Config> implements GenerativeModel<Config>, LatentModel {
  readonly eventShape: readonly number[];
  readonly likelihood: LowerBoundLikelihood;
  abstract readonly latentDim: number;
  /** Data dimensions D. */
  protected readonly dims: number;
  protected readonly store: ParameterStore;

  protected constructor(
    readonly name: string,
    readonly config: Config,
    eventShape: readonly number[],
    seed: number,
    /** The bound, draws, β and estimator this model trains with. */
    readonly objective: ObjectiveSettings,
    /** Classes of a conditional model; 0 for an unconditional one. */
    protected readonly classes: number,
  ) {
    this.eventShape = [...eventShape];
    this.dims = eventSize(eventShape);
    this.store = new ParameterStore(name, seed);
    this.likelihood = {
      kind: 'lowerBound',
      lowerBound: (x, options) => this.lowerBound(x, options),
      importanceSampledLogProb: (x, options) => this.importanceSampledLogProb(x, options),
    };
  }

  /** The forward pass on flattened examples [B, D] with checked labels (see `pass`). */
  protected abstract forward(x: tf.Tensor2D, options: PassOptions): VariationalPass;
  /** Floats of the decoder's widest activation per decoded row (sets the importance-sampling chunk size). */
  protected abstract readonly decodeRowFloats: number;

  abstract encode(x: tf.Tensor, options?: LikelihoodOptions): { mean: tf.Tensor2D; stddev: tf.Tensor2D };
  abstract decode(z: tf.Tensor2D, options?: LikelihoodOptions): tf.Tensor;
  abstract sample(n: number, options?: SampleOptions): tf.Tensor;

  /**
   * S latent draws per example of x ([B, ...eventShape] or [B, D]) and the terms of their log-weights. The
   * caller owns the returned tensors (use inside tf.tidy).
   */
  pass(x: tf.Tensor, options: PassOptions): VariationalPass {
    const flat = flattenBatch(x, this.eventShape, `${this.name}: x`);
    return this.forward(flat, {
      ...options,
      condition: this.conditionFor(options.condition, flat.shape[0], 'x'),
    });
  }

  /** Per-example ELBO and its two terms with `samples` draws (default 1), [B] each. */
  elboTerms(x: tf.Tensor, options: EstimateOptions & { samples?: number } = {}): ElboTerms {
    return tf.tidy(() => elboPerExample(this.evaluationPass(x, options.samples ?? 1, options)));
  }

  /** Per-example k-draw importance-weighted bound L_k (Burda et al. 2016), [B]. */
  iwaeBound(x: tf.Tensor, options: EstimateOptions & { k: number }): tf.Tensor1D {
    return tf.tidy(() => iwaeBound(this.evaluationPass(x, options.k, options)));
  }

  /** The per-example ELBO with the model's `samples` draws (one for models trained on the k-sample bound). */
  lowerBound(x: tf.Tensor, options: EstimateOptions = {}): tf.Tensor1D {
    const samples = this.objective.bound === 'elbo' ? this.objective.samples : 1;
    return tf.tidy(() => this.elboTerms(x, { ...options, samples }).elbo);
  }

  /** log (1/K) Σ_k p(x, z_k)/q(z_k|x) per example with K = `samples` draws from q, [B]. */
  importanceSampledLogProb(x: tf.Tensor, options: EstimateOptions & { samples: number }): tf.Tensor1D {
    const seed = seedOrRandom(options.seed);
    const batch = x.shape[0] as number;
    const rows = Math.max(1, Math.floor(DECODE_BUDGET_FLOATS / this.decodeRowFloats));
    const chunkSize = Math.max(1, Math.min(options.samples, Math.floor(rows / Math.max(batch, 1))));
    return streamingLogMeanExp(
      (count, chunk) =>
        logWeights(
          this.pass(x, {
            samples: count,
            seed: deriveSeed(seed, 'importance', chunk),
            condition: options.condition,
            reparameterize: false,
          }),
        ),
      { samples: options.samples, chunkSize },
    );
  }

  /** The inference network's variables φ, by stable key. */
  encoderVariables(): Record<string, tf.Variable> {
    return this.variablesUnder('encoder/');
  }

  /** The generative network's variables θ, by stable key. */
  decoderVariables(): Record<string, tf.Variable> {
    return this.variablesUnder('decoder/');
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  trainingPlan(): TrainingPlan {
    return {
      players: [
        {
          kind: 'gradient',
          name: this.name,
          variables: () => this.store.trainable(),
          objective: boundObjective(this, this.objective),
        },
      ],
    };
  }

  dispose(): void {
    this.store.dispose();
  }

  /** Labels for a conditional model (checked), none for an unconditional one (which ignores them). */
  protected conditionFor(
    condition: tf.Tensor | undefined,
    batch: number,
    what: string,
  ): tf.Tensor2D | undefined {
    if (this.classes === 0) return undefined;
    return checkCondition(condition, batch, this.classes, `${this.name}: ${what}`);
  }

  private evaluationPass(x: tf.Tensor, samples: number, options: EstimateOptions): VariationalPass {
    return this.pass(x, {
      samples,
      seed: seedOrRandom(options.seed),
      condition: options.condition,
      reparameterize: false,
    });
  }

  private variablesUnder(prefix: string): Record<string, tf.Variable> {
    return Object.fromEntries(Object.entries(this.store.all()).filter(([key]) => key.startsWith(prefix)));
  }
}
