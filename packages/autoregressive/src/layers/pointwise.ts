/**
 * A 1 × 1 convolution as what it is, a dense layer over the channels of every pixel: [B, H, W, C] is read
 * as [B·H·W, C] rows. On wasm this runs the forward and both gradients as XNNPACK matrix products;
 * conv2d's filter gradient with a 1 × 1 kernel is a convolution with a 28 × 28 "filter" instead, ten
 * times slower than the product it equals.
 */
import { Dense, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export class Pointwise {
  private readonly dense: Dense;

  constructor(params: ParameterStore, key: string, inChannels: number, outChannels: number) {
    this.dense = new Dense(params, key, inChannels, outChannels);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const [batch, height, width, channels] = x.shape;
      const rows = tf.reshape(x, [batch * height * width, channels]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: rows, b: this.dense.kernel as tf.Tensor2D, bias: this.dense.bias });
      return tf.reshape(y, [batch, height, width, -1]) as tf.Tensor4D;
    });
  }
}
