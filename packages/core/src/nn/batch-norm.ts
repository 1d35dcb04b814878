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
 *
 * `fused: true` computes the same training-mode normalization as one op with its gradient written out,
 *
 *   x̂ = (x − μ_B)/√(σ²_B + ε),   ∂L/∂x = (∂L/∂x̂ − mean(∂L/∂x̂) − x̂ · mean(∂L/∂x̂ ⊙ x̂)) / √(σ²_B + ε),
 *
 * with the per-channel means as reductions of the [rows, C] matrix: several times faster on wasm, where
 * autodiff through `tf.moments` takes a dozen passes over the activations.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers, type ParameterStore } from './params.js';

export interface BatchNormOptions {
  /** Weight of the newest batch in the running averages (PyTorch's `momentum`). */
  momentum?: number;
  epsilon?: number;
  /** Keep running averages for inference (default true). */
  trackRunningStatistics?: boolean;
  /** Training mode as one op with a written-out gradient (default false; see the module doc). */
  fused?: boolean;
}

export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean?: tf.Variable;
  readonly runningVariance?: tf.Variable;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly fused: boolean;

  constructor(params: ParameterStore, key: string, features: number, options: BatchNormOptions = {}) {
    this.gamma = params.create(`${key}/gamma`, [features], initializers.ones());
    this.beta = params.create(`${key}/beta`, [features], initializers.zeros());
    if (options.trackRunningStatistics ?? true) {
      this.runningMean = params.create(`${key}/runningMean`, [features], initializers.zeros(), false);
      this.runningVariance = params.create(`${key}/runningVariance`, [features], initializers.ones(), false);
    }
    this.momentum = options.momentum ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-5;
    this.fused = options.fused ?? false;
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
    if (this.fused) return this.fusedTraining(x);
    const { mean, variance } = tf.moments(x, axes);
    if (this.runningMean && this.runningVariance) this.updateRunningStatistics(mean, variance, x);
    return this.normalize(x, mean, variance);
  }

  private fusedTraining<T extends tf.Tensor>(x: T): T {
    const channels = x.shape[x.rank - 1];
    const rows = x.size / channels;
    const epsilon = this.epsilon;
    /** Per-channel means of [rows, C]: one reduction over the rows, without autodiff's broadcasts. */
    const channelMean = (t: tf.Tensor) => tf.div(tf.sum(t, 0), rows);
    const normalized = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [flat, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
      const centred = tf.sub(flat, channelMean(flat));
      const inverse = tf.rsqrt(tf.add(channelMean(tf.square(centred)), epsilon));
      const xhat = tf.mul(centred, inverse);
      save([xhat, inverse]);
      return {
        value: xhat,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xh, inv] = saved;
          const shifted = tf.sub(dy, channelMean(dy));
          return [tf.mul(tf.sub(shifted, tf.mul(xh, channelMean(tf.mul(dy, xh)))), inv)];
        },
      };
    });
    const flat = tf.reshape(x, [rows, channels]);
    if (this.runningMean && this.runningVariance) {
      tf.tidy(() => {
        const mean = channelMean(flat);
        this.updateRunningStatistics(mean, channelMean(tf.square(tf.sub(flat, mean))), x);
      });
    }
    const y = tf.add(tf.mul(normalized(flat), this.gamma), this.beta);
    return tf.reshape(y, x.shape) as T;
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
