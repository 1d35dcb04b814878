/**
 * The classic models are defined on vectors: an example of any event shape ([2] toy points,
 * [28, 28, 1] images) is flattened to D = Π eventShape values, and samples are reshaped back.
 */
import { eventSize, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * x as a [batch, D] matrix. Accepts [batch, ...eventShape] or an already flattened [batch, D]; anything
 * else is a ShapeError naming `what`.
 */
export function asMatrix(x: tf.Tensor, eventShape: readonly number[], what: string): tf.Tensor2D {
  const d = eventSize(eventShape);
  const shape = x.shape;
  const matchesEvent =
    shape.length === eventShape.length + 1 && eventShape.every((size, i) => shape[i + 1] === size);
  const flat = shape.length === 2 && shape[1] === d;
  if (!matchesEvent && !flat) {
    throw new ShapeError(
      `${what}: expected [batch, ${eventShape.join(', ')}] or [batch, ${d}], got [${shape.join(', ')}]`,
    );
  }
  return tf.reshape(x, [shape[0], d]);
}

/** Downloads a tensor as float64 (the classic models do their small dense linear algebra in float64). */
export function toFloat64(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

/** One-hot float32 rows [n, k] for int32 labels; unlike tf.oneHot, also for k = 1. */
export function oneHotRows(labels: tf.Tensor, k: number): tf.Tensor2D {
  return tf.tidy(() =>
    k === 1 ? tf.ones([labels.shape[0] as number, 1]) : tf.cast(tf.oneHot(labels, k), 'float32'),
  ) as tf.Tensor2D;
}

/**
 * The mean of a [N] tensor, summed in float64 on the host (and the tensor disposed): a float32 sum over
 * tens of thousands of per-example values loses the digits that show whether EM improved.
 */
export function takeMean(t: tf.Tensor): number {
  const values = t.dataSync();
  t.dispose();
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
