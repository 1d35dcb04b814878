/**
 * Probabilistic PCA (Tipping & Bishop 1999): x = Wz + μ + ε, z ~ N(0, I_q), ε ~ N(0, σ²I), a linear
 * Gaussian latent-variable model with exact likelihood p(x) = N(x; μ, C), C = WWᵀ + σ²I, and the exact
 * posterior p(z|x) = N(M⁻¹Wᵀ(x − μ), σ²M⁻¹), M = WᵀW + σ²I.
 */
import {
  ConfigError,
  deriveSeed,
  type ExactLikelihood,
  eventSize,
  type GenerativeModel,
  type LatentModel,
  type LikelihoodOptions,
  ParameterStore,
  type SampleOptions,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { asMatrix, takeMean } from '../common/events.js';
import { fitClosedForm } from './closed-form.js';
import type { PpcaConfig } from './config.js';
import { emIteration } from './em.js';
import { type LatentGeometry, latentGeometry } from './geometry.js';
import { PpcaParameters } from './parameters.js';

export class ProbabilisticPca implements GenerativeModel<PpcaConfig>, LatentModel {
  readonly likelihood: ExactLikelihood;
  readonly eventShape: readonly number[];
  readonly latentDim: number;
  readonly parameters: PpcaParameters;
  private readonly store: ParameterStore;

  constructor(
    readonly name: string,
    readonly config: PpcaConfig,
    context: { eventShape: readonly number[]; seed: number },
  ) {
    const dims = eventSize(context.eventShape);
    if (config.latentDim >= dims) {
      throw new ConfigError(
        `latentDim: must be smaller than the data dimension ${dims} (event shape [${context.eventShape.join(', ')}]), got ${config.latentDim}`,
      );
    }
    this.eventShape = [...context.eventShape];
    this.latentDim = config.latentDim;
    this.store = new ParameterStore(name, context.seed);
    this.parameters = new PpcaParameters(this.store, dims, config.latentDim);
    this.likelihood = { kind: 'exact', logProb: (x, options) => this.logProb(x, options) };
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  /** Exact log N(x; μ, WWᵀ + σ²I) per example, through q×q quantities only (see PpcaParameters.logDensity). */
  logProb(x: tf.Tensor, _options?: LikelihoodOptions): tf.Tensor1D {
    const geometry = this.geometry();
    return tf.tidy(() => {
      const centered = this.centered(x, 'logProb');
      return this.parameters.logDensity(
        centered,
        this.parameters.posteriorMean(centered, geometry),
        geometry,
      );
    });
  }

  /** The exact posterior: mean M⁻¹Wᵀ(x − μ) and standard deviations sqrt(diag(σ²M⁻¹)), each [batch, q]. */
  encode(x: tf.Tensor, _options?: LikelihoodOptions): { mean: tf.Tensor2D; stddev: tf.Tensor2D } {
    const geometry = this.geometry();
    const q = this.latentDim;
    return tf.tidy(() => {
      const mean = this.parameters.posteriorMean(this.centered(x, 'encode'), geometry);
      const variances = Float32Array.from(
        { length: q },
        (_, i) => geometry.sigma2 * geometry.mInverse[i * q + i],
      );
      const stddev = tf.broadcastTo(tf.sqrt(tf.tensor1d(variances)), [mean.shape[0], q]) as tf.Tensor2D;
      return { mean, stddev };
    });
  }

  /** E[x|z] = Wz + μ, [batch, ...eventShape]. */
  decode(z: tf.Tensor2D, _options?: LikelihoodOptions): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.add(tf.matMul(z, tf.transpose(this.parameters.weights)), this.parameters.mean);
      return tf.reshape(x, [z.shape[0], ...this.eventShape]);
    });
  }

  /** x = Wz + μ + σε with z, ε standard normal; `temperature` scales both z and ε. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    const { dims } = this.parameters;
    return tf.tidy(() => {
      const z = tf.randomNormal([n, this.latentDim], 0, temperature, 'float32', deriveSeed(seed, 'latent'));
      const noise = tf.randomNormal([n, dims], 0, temperature, 'float32', deriveSeed(seed, 'noise'));
      const sigma = tf.exp(tf.mul(0.5, this.parameters.logVariance));
      return tf.add(this.decode(z as tf.Tensor2D), tf.reshape(tf.mul(noise, sigma), [n, ...this.eventShape]));
    });
  }

  trainingPlan(): TrainingPlan {
    const fit = this.config.fit;
    return {
      players: [
        {
          kind: 'update',
          name: fit,
          update: (batch) => {
            const x = asMatrix(batch.x, this.eventShape, `${this.name} ${fit} batch`);
            try {
              if (fit === 'em')
                return { logLikelihood: emIteration(this.parameters, x, this.config.minVariance) };
              fitClosedForm(this.parameters, x, this.config.minVariance);
              return { logLikelihood: takeMean(this.logProb(x)) };
            } finally {
              x.dispose();
            }
          },
        },
      ],
    };
  }

  /**
   * The EM starting point on the first batch: μ the batch mean, σ² its mean per-dimension variance, and
   * W a seeded N(0, σ²/q) draw, so that C starts at the data's scale (WWᵀ has diagonal ≈ σ²). The
   * closed-form fit does not depend on it.
   */
  initialize(x: tf.Tensor, seed: number): void {
    const matrix = asMatrix(x, this.eventShape, `${this.name}.initialize`);
    const { dims, latentDim: q } = this.parameters;
    const [mean, variance] = tf.tidy(() => {
      const mu = tf.mean(matrix, 0);
      return [mu, tf.mean(tf.square(tf.sub(matrix, mu)))];
    });
    try {
      const sigma2 = Math.max(variance.dataSync()[0], this.config.minVariance);
      const weights = tf.tidy(() => tf.randomNormal([dims, q], 0, Math.sqrt(sigma2 / q), 'float32', seed));
      this.parameters.assign(mean, weights.dataSync() as Float32Array, sigma2);
      weights.dispose();
    } finally {
      tf.dispose([matrix, mean, variance]);
    }
  }

  dispose(): void {
    this.store.dispose();
  }

  private geometry(): LatentGeometry {
    return latentGeometry(this.parameters.weights as tf.Tensor2D, this.parameters.logVariance);
  }

  private centered(x: tf.Tensor, method: string): tf.Tensor2D {
    return tf.sub(asMatrix(x, this.eventShape, `${this.name}.${method}`), this.parameters.mean);
  }
}
