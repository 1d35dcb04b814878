/**
 * Batch normalization (Ioffe & Szegedy 2015) over every axis but the last (features of a dense layer,
 * channels of an NHWC image):
 *
 *   training:   y = γ · (x − μ_B) / √(σ²_B + ε) + β        μ_B, σ²_B the batch's mean and (biased) variance
 *   inference:  y = γ · (x − μ̂) / √(σ̂² + ε) + β           μ̂, σ̂² running averages
 *
 * The running averages follow PyTorch's BatchNorm: μ̂ ← (1 − m)·μ̂ + m·μ_B and σ̂² ← (1 − m)·σ̂² + m·σ²_B·N/(N−1)
 * (the unbiased batch variance), with momentum m = 0.1, updated on every training-mode call. They are
 * non-trainable variables of the store, so checkpoints save them and a loaded model samples exactly as
 * the saved one. A layer created with `trackRunningStatistics: false` always normalizes with the batch's
 * statistics (a GAN discriminator is only ever used in training mode).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers, type ParameterStore } from './params.js';

export interface BatchNormOptions {
  /** Weight of the newest batch in the running averages (PyTorch's `momentum`). */
  momentum?: number;
  epsilon?: number;
  /** Keep running averages for inference (default true). */
  trackRunningStatistics?: boolean;
}

export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean?: tf.Variable;
  readonly runningVariance?: tf.Variable;
  private readonly momentum: number;
  private readonly epsilon: number;

  constructor(params: ParameterStore, key: string, features: number, options: BatchNormOptions = {}) {
    this.gamma = params.create(`${key}/gamma`, [features], initializers.ones());
    this.beta = params.create(`${key}/beta`, [features], initializers.zeros());
    if (options.trackRunningStatistics ?? true) {
      this.runningMean = params.create(`${key}/runningMean`, [features], initializers.zeros(), false);
      this.runningVariance = params.create(`${key}/runningVariance`, [features], initializers.ones(), false);
    }
    this.momentum = options.momentum ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-5;
  }

  /** Normalizes with the batch's statistics (training, updating the running averages) or the running ones. */
  apply<T extends tf.Tensor>(x: T, training: boolean): T {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    if (!training) {
      if (!this.runningMean || !this.runningVariance) {
        throw new Error('BatchNorm without running statistics can only be applied in training mode');
      }
      return this.normalize(x, this.runningMean, this.runningVariance);
    }
    const { mean, variance } = tf.moments(x, axes);
    if (this.runningMean && this.runningVariance) this.updateRunningStatistics(mean, variance, x);
    return this.normalize(x, mean, variance);
  }

  private normalize<T extends tf.Tensor>(x: T, mean: tf.Tensor, variance: tf.Tensor): T {
    const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(variance, this.epsilon)));
    return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta) as T;
  }

  private updateRunningStatistics(mean: tf.Tensor, variance: tf.Tensor, x: tf.Tensor): void {
    const count = x.size / x.shape[x.shape.length - 1];
    const m = this.momentum;
    // Not part of the loss, so no gradient flows through these updates.
    tf.tidy(() => {
      const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
      this.runningMean!.assign(tf.add(tf.mul(this.runningMean!, 1 - m), tf.mul(mean, m)));
      this.runningVariance!.assign(tf.add(tf.mul(this.runningVariance!, 1 - m), tf.mul(unbiased, m)));
    });
  }
}
