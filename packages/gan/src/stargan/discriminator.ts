/**
 * StarGAN's discriminator (Choi et al. 2018, §3.2 and appendix 7.2): one PatchGAN body with two heads,
 *
 *   body   x → conv 4×4 stride 2, k → LeakyReLU(0.01) → conv 4×4 stride 2, 2k → LeakyReLU(0.01) → …
 *   D_src  conv 3×3 stride 1, 1 channel: one critic value per patch
 *   D_cls  a convolution whose kernel covers the whole h × w feature map, K channels: the logits of
 *          D_cls(·|x), a distribution over the K domains
 *
 * No normalization, as in the paper: the gradient penalty is taken per example, and D must not mix the
 * examples of a batch. The paper has six stride-2 layers for 128² images; `layers` of them here (3 by
 * default: 28 → 14 → 7 → 4, 'same' padding rounding up). A kernel the size of the feature map is a dense
 * layer on the flattened map, which is how D_cls is computed. Weights are drawn from N(0, 0.02²) as in
 * the rest of the family.
 */
import { Conv2D, Dense, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { dcganInitializer, type ImageShape } from '../common/networks/dcgan.js';

/** What D says about a batch of images. */
export interface DiscriminatorOutputs {
  /** D_src: critic values, one per patch of every image, [n·h·w]. */
  source: tf.Tensor1D;
  /** D_cls: domain logits [n, K]. */
  domainLogits: tf.Tensor2D;
}

export class StarganDiscriminator {
  private readonly body: Conv2D[] = [];
  private readonly sourceHead: Conv2D;
  private readonly domainHead: Dense;

  /** `image`: [H, W, C]; `domains`: K; `width`: k, the filters of the first layer; `layers`: the body's depth. */
  constructor(
    store: ParameterStore,
    key: string,
    image: ImageShape,
    domains: number,
    width: number,
    layers: number,
  ) {
    let [height, breadth, channels] = image;
    for (let i = 0; i < layers; i++) {
      const filters = width * 2 ** i;
      this.body.push(
        new Conv2D(store, `${key}/conv${i}`, channels, filters, {
          kernelSize: 4,
          stride: 2,
          kernelInitializer: dcganInitializer(),
        }),
      );
      [height, breadth, channels] = [Math.ceil(height / 2), Math.ceil(breadth / 2), filters];
    }
    this.sourceHead = new Conv2D(store, `${key}/source`, channels, 1, {
      kernelSize: 3,
      kernelInitializer: dcganInitializer(),
    });
    this.domainHead = new Dense(
      store,
      `${key}/domain`,
      height * breadth * channels,
      domains,
      dcganInitializer(),
    );
  }

  apply(x: tf.Tensor4D): DiscriminatorOutputs {
    const h = this.features(x);
    return {
      source: tf.reshape(this.sourceHead.apply(h), [-1]) as tf.Tensor1D,
      domainLogits: this.domainHead.apply(tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D),
    };
  }

  /** D_src alone, the critic whose gradient the penalty constrains. */
  source(x: tf.Tensor4D): tf.Tensor1D {
    return tf.reshape(this.sourceHead.apply(this.features(x)), [-1]) as tf.Tensor1D;
  }

  private features(x: tf.Tensor4D): tf.Tensor4D {
    let h = x;
    for (const conv of this.body) h = tf.leakyRelu(conv.apply(h), 0.01);
    return h;
  }
}
