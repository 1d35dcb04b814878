/**
 * Squeeze (RealNVP, Dinh et al. 2017, §3.6): space-to-depth, every 2×2×C block of an image becomes a
 * 1×1×4C pixel, [H, W, C] → [H/2, W/2, 4C]. A permutation of the values, so log |det| = 0. It trades
 * spatial size for channels so that channel-wise couplings and 1×1 convolutions mix neighbouring pixels.
 * Output channel c·4 + 2·di + dj holds input channel c at offset (di, dj) of its block (Glow's order).
 */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';

export class Squeeze implements Bijector {
  readonly name = 'squeeze';
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(eventShape: readonly number[]) {
    const [h, w, c] = eventShape;
    if (eventShape.length !== 3 || h % 2 !== 0 || w % 2 !== 0) {
      throw new ConfigError(`squeeze needs images [H, W, C] with even H and W, got [${eventShape}]`);
    }
    this.inputShape = eventShape;
    this.outputShape = [h / 2, w / 2, 4 * c];
  }

  forward(x: tf.Tensor): FlowResult {
    const [h, w, c] = this.inputShape;
    return tf.tidy(() => {
      const blocks = tf.reshape(x, [-1, h / 2, 2, w / 2, 2, c]);
      const y = tf.reshape(tf.transpose(blocks, [0, 1, 3, 5, 2, 4]), [-1, h / 2, w / 2, 4 * c]);
      return { y, logDet: tf.zeros([x.shape[0]]) as tf.Tensor1D };
    });
  }

  inverse(y: tf.Tensor): FlowResult {
    const [h, w, c] = this.inputShape;
    return tf.tidy(() => {
      const blocks = tf.reshape(y, [-1, h / 2, w / 2, c, 2, 2]);
      const x = tf.reshape(tf.transpose(blocks, [0, 1, 4, 2, 5, 3]), [-1, h, w, c]);
      return { y: x, logDet: tf.zeros([y.shape[0]]) as tf.Tensor1D };
    });
  }
}
