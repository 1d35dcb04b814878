/**
 * A coupling layer's conditioner: a network from the identity part x_a to P parameter maps for the
 * transformed part x_b (P = 1 for additive couplings: the shift; P = 2 for affine: shift and raw
 * log-scale). Its output has x_b's event shape with P·C channels, parameter p in channels [p·C, (p+1)·C).
 *
 * Every conditioner's last layer starts at zero, so every coupling starts as the identity (or, for the
 * sigmoid scale, a fixed contraction) and a deep stack starts as a well-conditioned map (Glow, §3.3).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface Conditioner {
  apply(identity: tf.Tensor): tf.Tensor;
}

/** Builds the conditioner of one coupling from the shapes its partition gives. */
export type ConditionerFactory = (
  key: string,
  identityShape: readonly number[],
  activeShape: readonly number[],
  paramsPerValue: number,
) => Conditioner;

/** The P parameter maps of a conditioner output, each of x_b's shape. */
export function splitParams(output: tf.Tensor, paramsPerValue: number): tf.Tensor[] {
  return paramsPerValue === 1 ? [output] : tf.split(output, paramsPerValue, -1);
}
