/** Sets a layer's kernel and bias to zero: the output layer of every conditioner starts there. */
import * as tf from '@tensorflow/tfjs-core';

export function zeroInitialized<Layer extends { kernel: tf.Variable; bias: tf.Variable }>(
  layer: Layer,
): Layer {
  for (const v of [layer.kernel, layer.bias]) tf.tidy(() => v.assign(tf.zerosLike(v)));
  return layer;
}
