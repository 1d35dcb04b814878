/**
 * A k × k convolution with PixelCNN's type-A or type-B spatial mask on its kernel (see
 * masks/pixel-masks.ts): y = conv(x, W ⊙ M) + b, 'same' padding, stride 1. The mask [k, k, 1, 1] is
 * broadcast over the channel axes; it is derived state, rebuilt from the type.
 */
import { Conv2D, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type MaskType, pixelMask } from '../masks/pixel-masks.js';

export class MaskedConv2D {
  readonly kernelSize: number;
  private readonly conv: Conv2D;
  private readonly mask: tf.Variable;

  constructor(
    params: ParameterStore,
    key: string,
    inChannels: number,
    outChannels: number,
    options: { kernelSize: number; type: MaskType },
  ) {
    this.kernelSize = options.kernelSize;
    this.conv = new Conv2D(params, key, inChannels, outChannels, { kernelSize: options.kernelSize });
    const k = options.kernelSize;
    this.mask = params.createDerived(`${key}/mask`, [k, k, 1, 1], (shape) =>
      tf.tensor(pixelMask(k, options.type), shape),
    );
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const kernel = tf.mul(this.conv.kernel, this.mask) as tf.Tensor4D;
    return tf.add(tf.conv2d(x, kernel, 1, 'same'), this.conv.bias);
  }
}
