/**
 * The PatchGAN discriminator (Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial
 * Networks", §3.2.2; CycleGAN's, Zhu et al. 2017, appendix 7.2) at small scale: a fully convolutional
 * network whose every output judges one overlapping patch of the image, so D penalizes structure at the
 * patch's scale and has far fewer parameters than a whole-image classifier:
 *
 *   conv 4×4 stride 2, k → LeakyReLU(0.2) → conv 4×4 stride 2, 2k → instance norm → LeakyReLU(0.2)
 *     → conv 3×3 stride 1, 1 channel
 *
 * The paper's 70×70 PatchGAN has four 4×4 layers (C64-C128-C256-C512) before the output; here each
 * output sees an 18×18 patch, and a 28×28 image gives 7×7 outputs. No sigmoid: the outputs are logits,
 * or the raw scores of the least-squares loss. Weights are drawn from N(0, 0.02²).
 */
import { Conv2D, InstanceNorm, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { dcganInitializer } from '../common/networks/dcgan.js';

export class PatchDiscriminator {
  private readonly first: Conv2D;
  private readonly second: Conv2D;
  private readonly norm: InstanceNorm;
  private readonly out: Conv2D;

  /** `imageChannels`: C; `width`: k, the filters of the first layer. */
  constructor(store: ParameterStore, key: string, imageChannels: number, width: number) {
    const conv = (name: string, from: number, to: number, kernelSize: number, stride: number) =>
      new Conv2D(store, `${key}/${name}`, from, to, {
        kernelSize,
        stride,
        kernelInitializer: dcganInitializer(),
      });
    this.first = conv('conv0', imageChannels, width, 4, 2);
    this.second = conv('conv1', width, 2 * width, 4, 2);
    this.norm = new InstanceNorm(store, `${key}/norm1`, 2 * width);
    this.out = conv('out', 2 * width, 1, 3, 1);
  }

  /** One output per patch, [n, h', w'] flattened to [n·h'·w'] (the losses average over patches and images). */
  apply(x: tf.Tensor4D): tf.Tensor1D {
    let h = tf.leakyRelu(this.first.apply(x), 0.2);
    h = tf.leakyRelu(this.norm.apply(this.second.apply(h)), 0.2);
    return tf.reshape(this.out.apply(h), [-1]) as tf.Tensor1D;
  }
}
