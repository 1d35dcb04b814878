/** A reshape of the event, e.g. images [H, W, C] to vectors [H·W·C] for vector flows: log |det| = 0. */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';
import { eventSize } from './shapes.js';

export class Reshape implements Bijector {
  readonly name: string;

  constructor(
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
  ) {
    if (eventSize(inputShape) !== eventSize(outputShape)) {
      throw new ConfigError(`reshape: [${inputShape}] and [${outputShape}] hold different numbers of values`);
    }
    this.name = `reshape([${inputShape}] → [${outputShape}])`;
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.reshape(x, [-1, ...this.outputShape]),
      logDet: tf.zeros([x.shape[0]]) as tf.Tensor1D,
    }));
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.reshape(y, [-1, ...this.inputShape]),
      logDet: tf.zeros([y.shape[0]]) as tf.Tensor1D,
    }));
  }
}
