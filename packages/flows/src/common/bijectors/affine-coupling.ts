/**
 * Affine coupling (RealNVP: Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", ICLR
 * 2017, §3.2–3.3; Glow's coupling, Kingma & Dhariwal 2018):
 *
 *   y_a = x_a,   y_b = x_b ⊙ exp(s(x_a)) + t(x_a)
 *   x_b = (y_b − t(y_a)) ⊙ exp(−s(y_a))
 *   log |det ∂y/∂x| = Σ_j s(x_a)_j
 *
 * The Jacobian is triangular with diagonal exp(s), so the log-det costs one sum and s and t can be any
 * network (the conditioner) — they are never inverted. s is bounded by the chosen squashing (scale.ts).
 */
import type { ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Conditioner, type ConditionerFactory, splitParams } from '../conditioners/conditioner.js';
import type { Bijector, FlowResult } from './bijector.js';
import { sumPerExample } from './log-det.js';
import type { Partition } from './partitions.js';
import { LogScale, type ScaleKind } from './scale.js';
import { channelsOf } from './shapes.js';

export class AffineCoupling implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  private readonly net: Conditioner;
  private readonly logScale: LogScale;

  constructor(
    params: ParameterStore,
    key: string,
    eventShape: readonly number[],
    private readonly partition: Partition,
    conditioner: ConditionerFactory,
    scale: ScaleKind,
  ) {
    this.name = `affine-coupling(${partition.description})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.net = conditioner(key, partition.identityShape, partition.activeShape, 2);
    this.logScale = new LogScale(scale, params, key, channelsOf(partition.activeShape));
  }

  /** t and s (masked to the transformed part) from the identity part. */
  private shiftAndLogScale(identity: tf.Tensor): { shift: tf.Tensor; logScale: tf.Tensor } {
    const [shift, raw] = splitParams(this.net.apply(identity), 2);
    return {
      shift: this.partition.restrict(shift),
      logScale: this.partition.restrict(this.logScale.apply(raw)),
    };
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const { identity, active } = this.partition.split(x);
      const { shift, logScale } = this.shiftAndLogScale(identity);
      const y = this.partition.merge(identity, tf.add(tf.mul(active, tf.exp(logScale)), shift));
      return { y, logDet: sumPerExample(logScale) };
    });
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const { identity, active } = this.partition.split(y);
      const { shift, logScale } = this.shiftAndLogScale(identity);
      const x = this.partition.merge(identity, tf.mul(tf.sub(active, shift), tf.exp(tf.neg(logScale))));
      return { y: x, logDet: tf.neg(sumPerExample(logScale)) as tf.Tensor1D };
    });
  }
}
