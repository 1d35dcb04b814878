/**
 * PPCA's state in a ParameterStore: `mean` μ [D], `weights` W [D, q] and `logVariance` log σ² (a
 * scalar), defining x = Wz + μ + ε with z ~ N(0, I_q), ε ~ N(0, σ²I_D), so p(x) = N(μ, WWᵀ + σ²I).
 * All three are written by closed-form updates, never by gradients.
 */
import { initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LatentGeometry } from './geometry.js';

const LOG_2PI = Math.log(2 * Math.PI);

export class PpcaParameters {
  readonly mean: tf.Variable;
  readonly weights: tf.Variable;
  readonly logVariance: tf.Variable;

  constructor(
    store: ParameterStore,
    readonly dims: number,
    readonly latentDim: number,
  ) {
    this.mean = store.create('mean', [dims], initializers.zeros(), false);
    // Any full-rank W is a valid EM starting point; the closed-form fit ignores it.
    this.weights = store.create(
      'weights',
      [dims, latentDim],
      initializers.normal(1 / Math.sqrt(latentDim)),
      false,
    );
    this.logVariance = store.create('logVariance', [], initializers.zeros(), false);
  }

  /** Writes μ (a [D] tensor, not disposed here), W (row-major [D, q]) and σ². */
  assign(mean: tf.Tensor, weights: Float32Array, sigma2: number): void {
    tf.tidy(() => {
      this.mean.assign(mean);
      this.weights.assign(tf.tensor2d(weights, [this.dims, this.latentDim]));
      this.logVariance.assign(tf.scalar(Math.log(sigma2)));
    });
  }

  /** E[z|x] = x̃WM⁻¹ for centered rows x̃ [N, D] (M⁻¹ is symmetric), [N, q]. */
  posteriorMean(centered: tf.Tensor2D, geometry: LatentGeometry): tf.Tensor2D {
    return tf.tidy(() => {
      const q = this.latentDim;
      const mInverse = tf.tensor2d(Float32Array.from(geometry.mInverse), [q, q]);
      return tf.matMul(tf.matMul(centered, this.weights as tf.Tensor2D), mInverse);
    });
  }

  /**
   * log N(x; μ, C) = −½[D log 2π + log|C| + x̃ᵀC⁻¹x̃] per row, from centered rows x̃ and their posterior
   * means E[z], with log|C| = (D − q) log σ² + log|M| and
   *
   *   x̃ᵀC⁻¹x̃ = ‖x̃ − W E[z]‖²/σ² + ‖E[z]‖²
   *
   * which is the Woodbury form σ⁻²(‖x̃‖² − x̃ᵀWM⁻¹Wᵀx̃) rewritten as two non-negative terms, so float32
   * evaluates it without the cancellation of the difference.
   */
  logDensity(centered: tf.Tensor2D, latentMean: tf.Tensor2D, geometry: LatentGeometry): tf.Tensor1D {
    return tf.tidy(() => {
      const residual = tf.sub(centered, tf.matMul(latentMean, tf.transpose(this.weights)));
      const quadratic = tf.add(
        tf.div(tf.sum(tf.square(residual), 1), geometry.sigma2),
        tf.sum(tf.square(latentMean), 1),
      );
      const logNormalizer =
        this.dims * LOG_2PI + (this.dims - this.latentDim) * Math.log(geometry.sigma2) + geometry.logDetM;
      return tf.mul(-0.5, tf.add(quadratic, logNormalizer)) as tf.Tensor1D;
    });
  }
}
