import { withoutGradient } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The value of `t` as a constant: no gradient flows back through it (the learning signal of REINFORCE). */
export function stopGradient<T extends tf.Tensor>(t: T): T {
  return withoutGradient([t], () => t.clone());
}
