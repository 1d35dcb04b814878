/**
 * Additive coupling (NICE: Dinh, Krueger & Bengio, "NICE: Non-linear Independent Components
 * Estimation", ICLR 2015 workshop, §3.2–3.3):
 *
 *   y_a = x_a,   y_b = x_b + m(x_a),   inverted by   x_b = y_b − m(y_a)
 *
 * The Jacobian is unit triangular, so log |det ∂y/∂x| = 0: the layer preserves volume, and NICE puts a
 * diagonal scaling at the end of the flow (nice/diagonal-scaling.ts) to model volume change.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Conditioner, ConditionerFactory } from '../conditioners/conditioner.js';
import type { Bijector, FlowResult } from './bijector.js';
import type { Partition } from './partitions.js';

export class AdditiveCoupling implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  private readonly shiftNet: Conditioner;

  constructor(
    key: string,
    eventShape: readonly number[],
    private readonly partition: Partition,
    conditioner: ConditionerFactory,
  ) {
    this.name = `additive-coupling(${partition.description})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.shiftNet = conditioner(key, partition.identityShape, partition.activeShape, 1);
  }

  forward(x: tf.Tensor): FlowResult {
    return this.couple(x, 1);
  }

  inverse(y: tf.Tensor): FlowResult {
    return this.couple(y, -1);
  }

  /** y_b = x_b ± m(x_a): + for forward, − for inverse. */
  private couple(input: tf.Tensor, sign: 1 | -1): FlowResult {
    return tf.tidy(() => {
      const { identity, active } = this.partition.split(input);
      const shift = this.partition.restrict(this.shiftNet.apply(identity));
      const y = this.partition.merge(identity, tf.add(active, tf.mul(shift, sign)));
      return { y, logDet: tf.zeros([input.shape[0]]) as tf.Tensor1D };
    });
  }
}
