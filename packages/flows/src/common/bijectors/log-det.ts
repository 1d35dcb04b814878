/** Per-example log-determinants: sums over event axes, and the zero log-det of volume-preserving maps. */
import * as tf from '@tensorflow/tfjs-core';
import { eventAxes } from './shapes.js';

/** Σ over every event axis of elementwise log-scales: [batch, ...] → [batch]. */
export function sumPerExample(t: tf.Tensor): tf.Tensor1D {
  return (t.rank === 1 ? tf.clone(t) : tf.sum(t, eventAxes(t.rank))) as tf.Tensor1D;
}

/** A log-det that is the same number for every example of the batch, e.g. H·W·log|det W|. */
export function perExample(value: tf.Tensor | number, batch: number): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.ones([batch]), value) as tf.Tensor1D);
}
