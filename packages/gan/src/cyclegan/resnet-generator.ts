/**
 * CycleGAN's generator (Zhu et al. 2017, appendix 7.2, after Johnson et al. 2016's style-transfer
 * network), an image-to-image map of the same shape, at small scale:
 *
 *   c7s1-k → d2k → R2k × `residualBlocks` → uk → c7s1-C → tanh
 *
 *   c7s1-k  7×7 convolution, stride 1, k filters, instance norm, ReLU
 *   d2k     3×3 convolution, stride 2 (halves height and width), 2k filters, instance norm, ReLU
 *   R2k     residual block: x + IN(conv3×3(ReLU(IN(conv3×3(x))))), 2k filters (no ReLU after the sum)
 *   uk      transposed convolution, stride 2 (doubles height and width), k filters, instance norm, ReLU
 *
 * The paper downsamples twice (d128, d256) with k = 64 and 6 or 9 residual blocks for 128² and 256²
 * images; one level suits 28×28 digits. Its uk is a 3×3 fractionally strided convolution; here the
 * kernel is 4 (DCGAN's), which a stride of 2 divides, so 'same' padding doubles the size exactly without
 * checkerboard overlap. Every convolution pads 'same' with zeros where the paper pads by reflection
 * (reflection padding is not a tfjs op); the borders of digits are background anyway. Weights are drawn
 * from N(0, 0.02²), as in the paper's code. Instance norm keeps training and inference the same function.
 */
import { activate, Conv2D, Conv2DTranspose, InstanceNorm, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { dcganInitializer } from '../common/networks/dcgan.js';
import type { OutputActivation } from '../common/networks/output.js';

/** A convolution followed by instance norm. */
class NormalizedConv {
  private readonly conv: Conv2D | Conv2DTranspose;
  private readonly norm: InstanceNorm;

  constructor(
    store: ParameterStore,
    key: string,
    from: number,
    to: number,
    options: { kernelSize: number; stride: number; transposed?: boolean },
  ) {
    const { transposed, ...conv } = options;
    const Layer = transposed ? Conv2DTranspose : Conv2D;
    this.conv = new Layer(store, `${key}/conv`, from, to, { ...conv, kernelInitializer: dcganInitializer() });
    this.norm = new InstanceNorm(store, `${key}/norm`, to);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return this.norm.apply(this.conv.apply(x));
  }
}

export class ResnetGenerator {
  private readonly input: NormalizedConv;
  private readonly down: NormalizedConv;
  private readonly residual: Array<[NormalizedConv, NormalizedConv]> = [];
  private readonly up: NormalizedConv;
  private readonly out: Conv2D;

  /**
   * `imageChannels`: C, of the output; `width`: k, the filters of the first layer; `inputChannels`: those
   * of the input, C unless the input carries more (StarGAN's target-domain channels).
   */
  constructor(
    store: ParameterStore,
    key: string,
    imageChannels: number,
    width: number,
    residualBlocks: number,
    private readonly output: OutputActivation,
    inputChannels = imageChannels,
  ) {
    const k = width;
    this.input = new NormalizedConv(store, `${key}/c7s1`, inputChannels, k, { kernelSize: 7, stride: 1 });
    this.down = new NormalizedConv(store, `${key}/d`, k, 2 * k, { kernelSize: 3, stride: 2 });
    for (let i = 0; i < residualBlocks; i++) {
      const conv = (j: number) =>
        new NormalizedConv(store, `${key}/r${i}/conv${j}`, 2 * k, 2 * k, { kernelSize: 3, stride: 1 });
      this.residual.push([conv(0), conv(1)]);
    }
    this.up = new NormalizedConv(store, `${key}/u`, 2 * k, k, { kernelSize: 4, stride: 2, transposed: true });
    this.out = new Conv2D(store, `${key}/out`, k, imageChannels, {
      kernelSize: 7,
      kernelInitializer: dcganInitializer(),
    });
  }

  /** Images [n, H, W, C] (H and W even; C the input channels) to images [n, H, W, imageChannels]. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    let h = tf.relu(this.input.apply(x));
    h = tf.relu(this.down.apply(h));
    for (const [first, second] of this.residual) h = tf.add(h, second.apply(tf.relu(first.apply(h))));
    h = tf.relu(this.up.apply(h));
    return activate(this.out.apply(h), this.output) as tf.Tensor4D;
  }
}
