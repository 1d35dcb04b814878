/** Sets a layer's kernel and bias to zero: the output layer of every conditioner starts there. */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';

export function zeroInitialized<Layer extends { kernel: tf.Variable; bias: tf.Variable }>(
  layer: Layer,
): Layer {
  for (const v of [layer.kernel, layer.bias]) v.assign(tfc.zerosLike(v));
  return layer;
}
