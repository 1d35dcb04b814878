/**
 * A k × k convolution with PixelCNN's type-A or type-B spatial mask on its kernel (see
 * common/masks/pixel-masks.ts): y = conv(x, W ⊙ M) + b, 'same' padding, stride 1. The mask [k, k, 1, 1] is
 * broadcast over the channel axes; it is derived state, rebuilt from the type.
 */
import { Conv2D, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type MaskType, pixelMask } from '../masks/pixel-masks.js';
import { type Freezable, FrozenKernels } from './frozen-kernels.js';

export class MaskedConv2D implements Freezable {
  private readonly conv: Conv2D;
  private readonly mask: tf.Variable;
  private readonly kernels: FrozenKernels;

  constructor(
    params: ParameterStore,
    key: string,
    inChannels: number,
    outChannels: number,
    options: { kernelSize: number; type: MaskType },
  ) {
    this.conv = new Conv2D(params, key, inChannels, outChannels, { kernelSize: options.kernelSize });
    const k = options.kernelSize;
    this.mask = params.createDerived(`${key}/mask`, [k, k, 1, 1], (shape) =>
      tf.tensor(pixelMask(k, options.type), shape),
    );
    this.kernels = new FrozenKernels(this.conv.kernel, [this.mask]);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const kernel = this.kernels.masked(0) as tf.Tensor4D;
    return tf.fused.conv2d({ x, filter: kernel, strides: 1, pad: 'same', bias: this.conv.bias });
  }

  freeze(): void {
    this.kernels.freeze();
  }

  thaw(): void {
    this.kernels.thaw();
  }
}
