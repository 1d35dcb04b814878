/**
 * The convolutional encoder and decoder of the VQ-VAE paper (§4.1): the encoder is strided 4 × 4
 * convolutions (stride 2, ReLU) followed by residual blocks, then a 1 × 1 convolution to the code
 * dimension D; the decoder mirrors it — a 1 × 1 convolution from D, residual blocks, and strided 4 × 4
 * transposed convolutions back to the image. A residual block is
 *
 *   h ← h + conv1×1(ReLU(conv3×3(ReLU(h)))).
 *
 * With `hidden: [32, 64]` a 28 × 28 image becomes a 7 × 7 grid of codes, a 32 × 32 one 8 × 8.
 */
import { Conv2D, Conv2DTranspose, type ParameterStore, Pointwise } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export interface NetworkOptions {
  /** Channels of each stride-2 convolution, in encoder order; their number sets the downsampling 2^L. */
  hidden: readonly number[];
  /** Residual blocks after the encoder's convolutions and before the decoder's. */
  residualBlocks: number;
  /** Hidden channels inside a residual block. */
  residualChannels: number;
}

/** h ← h + conv1×1(ReLU(conv3×3(ReLU(h)))), with `inner` hidden channels. */
export class ResidualBlock {
  private readonly conv: Conv2D;
  private readonly project: Pointwise;
  constructor(store: ParameterStore, key: string, channels: number, inner: number) {
    this.conv = new Conv2D(store, `${key}/conv3x3`, channels, inner, { kernelSize: 3 });
    this.project = new Pointwise(store, `${key}/conv1x1`, inner, channels);
  }
  apply(h: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => tf.add(h, this.project.apply(tf.relu(this.conv.apply(tf.relu(h))))));
  }
}

/**
 * x [B, H, W, C] → z_e [B, H/2^L, W/2^L, D]. Its parameters are named under `prefix` (`encoder` for the
 * VQ-VAE; VQ-VAE-2 has one encoder per level).
 */
export class Encoder {
  private readonly convs: Conv2D[];
  private readonly blocks: ResidualBlock[];
  private readonly out: Pointwise;

  constructor(
    store: ParameterStore,
    channels: number,
    codeDim: number,
    options: NetworkOptions,
    prefix = 'encoder',
  ) {
    let inChannels = channels;
    this.convs = options.hidden.map((c, i) => {
      const conv = new Conv2D(store, `${prefix}/conv${i}`, inChannels, c, { kernelSize: 4, stride: 2 });
      inChannels = c;
      return conv;
    });
    this.blocks = Array.from(
      { length: options.residualBlocks },
      (_, i) => new ResidualBlock(store, `${prefix}/residual${i}`, inChannels, options.residualChannels),
    );
    this.out = new Pointwise(store, `${prefix}/out`, inChannels, codeDim);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = x;
      for (const conv of this.convs) h = tf.relu(conv.apply(h));
      for (const block of this.blocks) h = block.apply(h);
      return this.out.apply(tf.relu(h));
    });
  }
}

/**
 * z_q [B, h, w, D] → decoder outputs [B, H, W, C] (means or logits, per the observation model). Its
 * parameters are named under `prefix` (`decoder` for the VQ-VAE).
 */
export class Decoder {
  private readonly input: Pointwise;
  private readonly blocks: ResidualBlock[];
  private readonly deconvs: Conv2DTranspose[];

  constructor(
    store: ParameterStore,
    channels: number,
    codeDim: number,
    options: NetworkOptions,
    prefix = 'decoder',
  ) {
    const reversed = [...options.hidden].reverse();
    const top = reversed[0] ?? codeDim;
    this.input = new Pointwise(store, `${prefix}/in`, codeDim, top);
    this.blocks = Array.from(
      { length: options.residualBlocks },
      (_, i) => new ResidualBlock(store, `${prefix}/residual${i}`, top, options.residualChannels),
    );
    this.deconvs = reversed.map((c, i) => {
      const out = i + 1 < reversed.length ? reversed[i + 1] : channels;
      return new Conv2DTranspose(store, `${prefix}/deconv${i}`, c, out, { kernelSize: 4, stride: 2 });
    });
  }

  apply(z: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = this.input.apply(z);
      for (const block of this.blocks) h = block.apply(h);
      h = tf.relu(h);
      this.deconvs.forEach((deconv, i) => {
        h = deconv.apply(h);
        if (i + 1 < this.deconvs.length) h = tf.relu(h);
      });
      return h;
    });
  }
}
