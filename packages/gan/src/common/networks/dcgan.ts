/**
 * The DCGAN architecture (Radford, Metz & Chintala 2016, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks", §3 and Fig. 1), sized for 28×28 and 32×32 images:
 *
 *   generator      z → dense → (H/2ᴸ × W/2ᴸ × c₁) → BN → ReLU → convᵀ(c₂, stride 2) → BN → ReLU → …
 *                    → convᵀ(C, stride 2) → tanh
 *   discriminator  x → conv(d₁, stride 2) → LeakyReLU(0.2) → conv(d₂, stride 2) → BN → LeakyReLU(0.2) → …
 *                    → flatten (the features; the model adds the output layer)
 *
 * No pooling and no hidden dense layers; batch norm everywhere except the generator's output and the
 * discriminator's input layer; all weights drawn from N(0, 0.02²). With 'same' padding a k = 4, stride-2
 * convolution halves the height and width exactly and its transpose doubles them (PyTorch's padding 1).
 */
import {
  activate,
  BatchNorm,
  ConfigError,
  Conv2D,
  Conv2DTranspose,
  Dense,
  initializers,
  type ParameterStore,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { DcganNetworkConfig } from '../config/network.js';
import type { OutputActivation } from './output.js';
import type { FeatureNetwork, GeneratorNetwork } from './types.js';

/** [height, width, channels] of one image. */
export type ImageShape = [number, number, number];

/** DCGAN's initialization of every convolution and dense kernel. */
export const dcganInitializer = () => initializers.normal(0.02);

/** The image shape, or a ConfigError when the examples are not [H, W, C] images divisible by 2^levels. */
export function dcganImage(eventShape: readonly number[], levels: number, what: string): ImageShape {
  if (eventShape.length !== 3) {
    throw new ConfigError(
      `${what}: the DCGAN network needs images [height, width, channels], got examples of shape [${eventShape}] ` +
        '(use network.kind "mlp" for vectors, or load images without flatten)',
    );
  }
  const [height, width, channels] = eventShape;
  const factor = 2 ** levels;
  if (height % factor !== 0 || width % factor !== 0) {
    throw new ConfigError(
      `${what}: ${levels} stride-2 layers need the image height and width divisible by ${factor}, got ${height}×${width}`,
    );
  }
  return [height, width, channels];
}

export class DcganGenerator implements GeneratorNetwork {
  private readonly project: Dense;
  private readonly projectNorm: BatchNorm;
  private readonly deconvs: Conv2DTranspose[] = [];
  private readonly norms: BatchNorm[] = [];
  private readonly start: ImageShape;

  constructor(
    store: ParameterStore,
    key: string,
    inputDim: number,
    image: ImageShape,
    private readonly output: OutputActivation,
    config: DcganNetworkConfig,
  ) {
    const channels = config.generatorChannels;
    const factor = 2 ** channels.length;
    this.start = [image[0] / factor, image[1] / factor, channels[0]];
    const kernelInitializer = dcganInitializer();
    this.project = new Dense(
      store,
      `${key}/project`,
      inputDim,
      this.start[0] * this.start[1] * channels[0],
      kernelInitializer,
    );
    this.projectNorm = new BatchNorm(store, `${key}/projectNorm`, channels[0]);
    const targets = [...channels.slice(1), image[2]];
    channels.forEach((from, i) => {
      this.deconvs.push(
        new Conv2DTranspose(store, `${key}/deconv${i}`, from, targets[i], {
          kernelSize: config.kernelSize,
          stride: 2,
          padding: 'same',
          kernelInitializer,
        }),
      );
      if (i < channels.length - 1) this.norms.push(new BatchNorm(store, `${key}/norm${i}`, targets[i]));
    });
  }

  apply(input: tf.Tensor2D, training: boolean): tf.Tensor {
    const n = input.shape[0];
    // The projection is DCGAN's first transposed convolution of a 1×1 input; its batch norm is per channel.
    const projected = tf.reshape(this.project.apply(input), [n, ...this.start]) as tf.Tensor4D;
    let h = tf.relu(this.projectNorm.apply(projected, training)) as tf.Tensor4D;
    this.deconvs.forEach((deconv, i) => {
      h = deconv.apply(h);
      if (i < this.norms.length) h = tf.relu(this.norms[i].apply(h, training));
    });
    return activate(h, this.output);
  }
}

export class DcganFeatures implements FeatureNetwork {
  readonly featureDim: number;
  private readonly convs: Conv2D[] = [];
  private readonly norms: Array<BatchNorm | undefined> = [];

  constructor(
    store: ParameterStore,
    key: string,
    image: ImageShape,
    channels: readonly number[],
    config: DcganNetworkConfig,
    batchNorm: boolean,
  ) {
    let [height, width, from] = image;
    channels.forEach((to, i) => {
      this.convs.push(
        new Conv2D(store, `${key}/conv${i}`, from, to, {
          kernelSize: config.kernelSize,
          stride: 2,
          padding: 'same',
          kernelInitializer: dcganInitializer(),
        }),
      );
      this.norms.push(
        batchNorm && i > 0
          ? new BatchNorm(store, `${key}/norm${i}`, to, { trackRunningStatistics: false })
          : undefined,
      );
      [height, width, from] = [height / 2, width / 2, to];
    });
    this.featureDim = height * width * from;
  }

  apply(x: tf.Tensor): tf.Tensor2D {
    let h = x as tf.Tensor4D;
    this.convs.forEach((conv, i) => {
      h = conv.apply(h);
      const norm = this.norms[i];
      if (norm) h = norm.apply(h, true);
      h = tf.leakyRelu(h, 0.2);
    });
    return tf.reshape(h, [x.shape[0], this.featureDim]) as tf.Tensor2D;
  }
}
