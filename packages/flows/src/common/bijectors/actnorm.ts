/**
 * Activation normalization (Glow: Kingma & Dhariwal, "Glow: Generative Flow with Invertible 1×1
 * Convolutions", NeurIPS 2018, §3.1): a per-channel affine map
 *
 *   y = (x + b) ⊙ exp(log s),     log |det ∂y/∂x| = P · Σ_c log s_c     (P = H·W positions, 1 for vectors)
 *
 * with data-dependent initialization: on the first batch, b = −mean and log s = −log std per channel,
 * so the post-ActNorm activations have zero mean and unit variance per channel; afterwards b and log s
 * are ordinary parameters. Unlike batch norm it behaves the same at any batch size and in both
 * directions. The `initialized` flag is model state, so a loaded checkpoint is never re-initialized.
 */
import { initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';
import { perExample } from './log-det.js';
import { channelsOf, checkEvent, positionsPerChannel } from './shapes.js';

/** Keeps log s finite on channels that are constant in the init batch. */
const STD_FLOOR = 1e-6;

export class ActNorm implements Bijector {
  readonly name = 'actnorm';
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly bias: tf.Variable;
  readonly logScale: tf.Variable;
  readonly initialized: tf.Variable;
  private readonly positions: number;

  constructor(params: ParameterStore, key: string, eventShape: readonly number[]) {
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    const channels = channelsOf(eventShape);
    this.positions = positionsPerChannel(eventShape);
    this.bias = params.create(`${key}/bias`, [channels], initializers.zeros());
    this.logScale = params.create(`${key}/log-scale`, [channels], initializers.zeros());
    this.initialized = params.create(`${key}/initialized`, [], initializers.zeros(), false);
  }

  /** Sets b and log s from the batch's per-channel statistics, once; later calls do nothing. */
  initialize(x: tf.Tensor): void {
    checkEvent(this.name, x, this.inputShape);
    if (this.initialized.dataSync()[0] === 1) return;
    tf.tidy(() => {
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const { mean, variance } = tf.moments(x, axes);
      this.bias.assign(tf.neg(mean));
      this.logScale.assign(tf.neg(tf.log(tf.add(tf.sqrt(variance), STD_FLOOR))));
      this.initialized.assign(tf.scalar(1));
    });
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.mul(tf.add(x, this.bias), tf.exp(this.logScale)),
      logDet: perExample(tf.mul(tf.sum(this.logScale), this.positions), x.shape[0]),
    }));
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.sub(tf.mul(y, tf.exp(tf.neg(this.logScale))), this.bias),
      logDet: perExample(tf.mul(tf.sum(this.logScale), -this.positions), y.shape[0]),
    }));
  }
}
