/**
 * A Gaussian mixture model over flattened examples, with an exact log-likelihood,
 *
 *   p(x) = Σ_k π_k N(x; μ_k, Σ_k),     log p(x) = logsumexp_k [log π_k + log N(x; μ_k, Σ_k)]
 *
 * (Σ_k full or diagonal), fitted by expectation–maximization (Dempster, Laird & Rubin, "Maximum
 * Likelihood from Incomplete Data via the EM Algorithm", 1977; the E- and M-steps in em.ts, started from
 * k-means++ in kmeans.ts) or by gradient ascent on the log-likelihood.
 */
import {
  Categorical,
  deriveSeed,
  type ExactLikelihood,
  eventSize,
  type GenerativeModel,
  type GradientPlayer,
  type LikelihoodOptions,
  logSumExp,
  ParameterStore,
  type SampleOptions,
  seedOrRandom,
  type TrainingPlan,
  type UpdatePlayer,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { asMatrix, oneHotRows } from '../common/events.js';
import type { GmmConfig } from './config.js';
import { emIteration, maximize } from './em.js';
import { kmeansLabels } from './kmeans.js';
import { MixtureParameters } from './parameters.js';

export class GaussianMixture implements GenerativeModel<GmmConfig> {
  readonly likelihood: ExactLikelihood;
  readonly eventShape: readonly number[];
  readonly parameters: MixtureParameters;
  private readonly store: ParameterStore;
  private readonly dims: number;

  constructor(
    readonly name: string,
    readonly config: GmmConfig,
    context: { eventShape: readonly number[]; seed: number },
  ) {
    this.eventShape = [...context.eventShape];
    this.dims = eventSize(context.eventShape);
    this.store = new ParameterStore(name, context.seed);
    this.parameters = new MixtureParameters(
      this.store,
      config.components,
      this.dims,
      config.covariance,
      config.fit === 'gradient',
    );
    this.likelihood = { kind: 'exact', logProb: (x, options) => this.logProb(x, options) };
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  /** log p(x) = logΣ_k exp(log π_k + log N(x; μ_k, Σ_k)), per example [batch]. */
  logProb(x: tf.Tensor, _options?: LikelihoodOptions): tf.Tensor1D {
    return tf.tidy(() => {
      const matrix = asMatrix(x, this.eventShape, `${this.name}.logProb`);
      const logJoint = tf.add(this.parameters.componentLogDensities(matrix), this.parameters.logWeights());
      return logSumExp(logJoint, 1) as tf.Tensor1D;
    });
  }

  /**
   * Ancestral sampling: k ~ Categorical(π), x = μ_k + L_k ε with ε ~ N(0, I) (L_k = Σ_k^{½} diagonal or
   * the Cholesky factor). `temperature` scales ε, i.e. the component spreads, not the mixture weights.
   */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    const { components: k, dims: d } = this.parameters;
    // Full covariance: the factors come from a float64 triangular inversion on the host.
    const factors = this.config.covariance === 'full' ? this.parameters.covarianceFactors() : undefined;
    return tf.tidy(() => {
      const chosen = new Categorical(this.parameters.logits).sample(deriveSeed(seed, 'component'), [n]);
      const oneHot = oneHotRows(chosen, k); // [n, K]
      const noise = tf.mul(
        tf.randomNormal([n, d], 0, 1, 'float32', deriveSeed(seed, 'noise')),
        temperature,
      ) as tf.Tensor2D;
      let spread: tf.Tensor;
      if (factors) {
        // Every component's L_k ε for every draw, [K, n, D], then each draw keeps its own component's.
        const perComponent = tf.matMul(
          tf.broadcastTo(noise, [k, n, d]) as tf.Tensor3D,
          tf.transpose(tf.tensor3d(Float32Array.from(factors), [k, d, d]), [0, 2, 1]) as tf.Tensor3D,
        );
        spread = tf.sum(tf.mul(perComponent, tf.expandDims(tf.transpose(oneHot), 2)), 0);
      } else {
        const scales = tf.exp(tf.mul(0.5, this.parameters.logVariances as tf.Tensor2D));
        spread = tf.mul(tf.matMul(oneHot, scales as tf.Tensor2D), noise);
      }
      const x = tf.add(tf.matMul(oneHot, this.parameters.means as tf.Tensor2D), spread);
      return tf.reshape(x, [n, ...this.eventShape]);
    });
  }

  trainingPlan(): TrainingPlan {
    return { players: [this.config.fit === 'em' ? this.emPlayer() : this.gradientPlayer()] };
  }

  /**
   * k-means (the best of `kmeansRestarts` runs, each seeded by `init` and refined by `kmeansIterations`
   * Lloyd steps) on the first batch, followed by an
   * M-step on its hard assignments: weights are the cluster fractions, means the centroids and
   * covariances the within-cluster covariances plus the regularization.
   */
  initialize(x: tf.Tensor, seed: number): void {
    const matrix = asMatrix(x, this.eventShape, `${this.name}.initialize`);
    try {
      const labels = kmeansLabels(matrix, this.config.components, {
        init: this.config.init,
        iterations: this.config.kmeansIterations,
        restarts: this.config.kmeansRestarts,
        seed,
      });
      const responsibilities = tf.tidy(() =>
        oneHotRows(tf.tensor1d(labels, 'int32'), this.config.components),
      );
      try {
        maximize(this.parameters, matrix, responsibilities, this.config.regularization);
      } finally {
        responsibilities.dispose();
      }
    } finally {
      matrix.dispose();
    }
  }

  dispose(): void {
    this.parameters.dispose();
    this.store.dispose();
  }

  /** One EM iteration per step on the step's batch (full-batch EM when the batch is the training set). */
  private emPlayer(): UpdatePlayer {
    return {
      kind: 'update',
      name: 'em',
      update: (batch) => {
        const matrix = asMatrix(batch.x, this.eventShape, `${this.name} EM batch`);
        try {
          return { logLikelihood: emIteration(this.parameters, matrix, this.config.regularization) };
        } finally {
          matrix.dispose();
        }
      },
    };
  }

  /**
   * Minimizes −(1/N) Σ_n log p(x_n) over the unconstrained parameters with the run's optimizer, and
   * projects the variances back above the regularization floor after each update.
   */
  private gradientPlayer(): GradientPlayer {
    return {
      kind: 'gradient',
      name: 'likelihood',
      variables: () => this.store.trainable(),
      objective: {
        name: 'negative-log-likelihood',
        compute: (batch) => {
          const logLikelihood = tf.mean(this.logProb(batch.x)) as tf.Scalar;
          return { loss: tf.neg(logLikelihood), metrics: { logLikelihood } };
        },
      },
      afterUpdate: () => this.parameters.floorVariances(this.config.regularization),
    };
  }
}
