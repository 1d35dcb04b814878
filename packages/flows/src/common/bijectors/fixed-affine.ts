/**
 * A fixed elementwise affine map y = a·x + b, log |det| = D · log |a| — data preprocessing without
 * parameters, e.g. Glow's centring of [0, 1] pixels to [−½, ½] (a = 1, b = −½).
 */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';
import { perExample } from './log-det.js';
import { eventSize } from './shapes.js';

export class FixedAffine implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  private readonly logDetValue: number;

  constructor(
    eventShape: readonly number[],
    private readonly scale: number,
    private readonly shift: number,
  ) {
    if (!Number.isFinite(scale) || scale === 0)
      throw new ConfigError(`fixed affine map: scale must be finite and non-zero, got ${scale}`);
    this.name = `affine(${scale}·x ${shift < 0 ? '−' : '+'} ${Math.abs(shift)})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.logDetValue = eventSize(eventShape) * Math.log(Math.abs(scale));
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.add(tf.mul(x, this.scale), this.shift),
      logDet: perExample(this.logDetValue, x.shape[0]),
    }));
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.div(tf.sub(y, this.shift), this.scale),
      logDet: perExample(-this.logDetValue, y.shape[0]),
    }));
  }
}
