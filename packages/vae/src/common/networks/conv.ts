/**
 * Convolutional encoder and mirror decoder for [H, W, C] images (the architecture of TensorFlow's
 * convolutional VAE tutorial and most VAE code on MNIST/CIFAR):
 *
 *   encoder  x → conv(c₁, stride 2) → … → conv(c_n, stride 2) → flatten → [·, y] → dense → outputs
 *   decoder  [z, y] → dense → (H/2ⁿ × W/2ⁿ × c_n) → convᵀ(c_{n−1}, stride 2) → … → convᵀ(C·perDim, stride 2)
 *
 * Each 'same'-padded stride-2 convolution halves the height and width (28 → 14 → 7) and each transposed
 * one doubles them back, so H and W must be divisible by 2ⁿ for the decoder to mirror the encoder. The
 * last transposed convolution outputs every pixel's likelihood parameters as C·perDim channels, which are
 * rearranged into the decoder's block layout (see `Decoder`); per-example parameters come from a dense
 * head on the decoder input.
 */
import {
  activate,
  ConfigError,
  Conv2D,
  Conv2DTranspose,
  Dense,
  MLP,
  type ParameterStore,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConvNetworkConfig } from '../config/network.js';
import type { Decoder, DecoderOutputs, Encoder } from './types.js';

type Image = [number, number, number];

export class ConvEncoder implements Encoder {
  private readonly convs: Conv2D[] = [];
  private readonly head: MLP;

  constructor(
    store: ParameterStore,
    key: string,
    private readonly image: Image,
    conditionDim: number,
    outputs: number,
    private readonly config: ConvNetworkConfig,
  ) {
    let [height, width, channels] = image;
    config.channels.forEach((out, i) => {
      this.convs.push(
        new Conv2D(store, `${key}/conv${i}`, channels, out, {
          kernelSize: config.kernelSize,
          stride: 2,
          padding: 'same',
        }),
      );
      [height, width, channels] = [Math.ceil(height / 2), Math.ceil(width / 2), out];
    });
    const features = height * width * channels;
    this.head = new MLP(
      store,
      `${key}/head`,
      [features + conditionDim, ...config.hidden, outputs],
      config.activation,
    );
  }

  apply(x: tf.Tensor2D, condition?: tf.Tensor2D): tf.Tensor2D {
    const n = x.shape[0];
    let h = tf.reshape(x, [n, ...this.image]) as tf.Tensor4D;
    for (const conv of this.convs) h = activate(conv.apply(h), this.config.activation) as tf.Tensor4D;
    const flat = tf.reshape(h, [n, -1]) as tf.Tensor2D;
    return this.head.apply(condition ? tf.concat([flat, condition], 1) : flat);
  }
}

export class ConvDecoder implements Decoder {
  readonly activationsPerRow: number;
  private readonly stem: MLP;
  private readonly deconvs: Conv2DTranspose[] = [];
  private readonly perExampleHead?: Dense;
  private readonly start: Image;

  constructor(
    store: ParameterStore,
    key: string,
    private readonly image: Image,
    inputs: number,
    private readonly outputs: DecoderOutputs,
    private readonly config: ConvNetworkConfig,
  ) {
    const [height, width, channels] = image;
    const factor = 2 ** config.channels.length;
    if (height % factor !== 0 || width % factor !== 0) {
      throw new ConfigError(
        `network.channels: ${config.channels.length} stride-2 layers need the image height and width divisible by ` +
          `${factor} for the decoder to mirror the encoder, got a ${height}×${width} image`,
      );
    }
    const top = config.channels[config.channels.length - 1];
    this.start = [height / factor, width / factor, top];
    const stemOutputs = this.start[0] * this.start[1] * top;
    this.stem = new MLP(
      store,
      `${key}/stem`,
      [inputs, ...[...config.hidden].reverse(), stemOutputs],
      config.activation,
    );
    const mirrored = [...config.channels].reverse();
    const targets = [...mirrored.slice(1), channels * outputs.perDim];
    mirrored.forEach((from, i) => {
      this.deconvs.push(
        new Conv2DTranspose(store, `${key}/deconv${i}`, from, targets[i], {
          kernelSize: config.kernelSize,
          stride: 2,
          padding: 'same',
        }),
      );
    });
    if (outputs.perExample > 0)
      this.perExampleHead = new Dense(store, `${key}/perExample`, inputs, outputs.perExample);
    let [h, w] = [this.start[0], this.start[1]];
    let widest = stemOutputs;
    targets.forEach((c) => {
      [h, w] = [h * 2, w * 2];
      widest = Math.max(widest, h * w * c);
    });
    this.activationsPerRow = widest;
  }

  apply(input: tf.Tensor2D): tf.Tensor2D {
    const n = input.shape[0];
    const stem = activate(this.stem.apply(input), this.config.activation);
    let h = tf.reshape(stem, [n, ...this.start]) as tf.Tensor4D;
    this.deconvs.forEach((deconv, i) => {
      h = deconv.apply(h);
      if (i < this.deconvs.length - 1) h = activate(h, this.config.activation) as tf.Tensor4D;
    });
    const [height, width, channels] = this.image;
    const { perDim } = this.outputs;
    // Channels are parameter-major ([perDim, C]); gather each parameter's block of D = H·W·C values.
    const blocks =
      perDim === 1 ? h : tf.transpose(tf.reshape(h, [n, height * width, perDim, channels]), [0, 2, 1, 3]);
    const pixels = tf.reshape(blocks, [n, perDim * height * width * channels]) as tf.Tensor2D;
    return this.perExampleHead ? tf.concat([pixels, this.perExampleHead.apply(input)], 1) : pixels;
  }
}
