/**
 * A convolution with a rectangular kernel placed above and/or left of each output pixel, by explicit
 * padding: the input is zero-padded by `top` rows and `left`/`right` columns, convolved without padding,
 * and the first H × W outputs kept. The output at (r, c) then reads rows r − top … r − top + kh − 1 and
 * columns c − left … c − left + kw − 1 — strictly above the pixel when kh = top, strictly left of it when
 * kw = left. Gated PixelCNN's vertical and horizontal stacks are built from these (no masked taps: every
 * multiply-add is a useful one).
 */
import { initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export interface ShiftedConvOptions {
  kernel: [number, number];
  top: number;
  left: number;
  right: number;
}

export class ShiftedConv2D {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    params: ParameterStore,
    key: string,
    inChannels: number,
    outChannels: number,
    private readonly options: ShiftedConvOptions,
  ) {
    const [kh, kw] = options.kernel;
    this.kernel = params.create(
      `${key}/kernel`,
      [kh, kw, inChannels, outChannels],
      initializers.glorotUniform(),
    );
    this.bias = params.create(`${key}/bias`, [outChannels], initializers.zeros());
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const [batch, height, width] = x.shape;
      const { top, left, right } = this.options;
      // Explicit padding inside the (fused, biased) convolution: no padded copy of x, one output buffer.
      const y = tf.fused.conv2d({
        x,
        filter: this.kernel as tf.Tensor4D,
        strides: 1,
        pad: [
          [0, 0],
          [top, 0],
          [left, right],
          [0, 0],
        ],
        bias: this.bias,
      });
      if (y.shape[1] === height && y.shape[2] === width) return y;
      return tf.slice(y, [0, 0, 0, 0], [batch, height, width, -1]);
    });
  }
}
