/**
 * StarGAN's generator G(x, c) (Choi et al. 2018, §3.2 and appendix 7.2): the target domain c, one-hot over
 * K domains, replicated over the image's height and width and concatenated to its channels, through an
 * image-to-image network:
 *
 *   G(x, c) = net([x, c ⊗ 1_{H×W}])        [n, H, W, C + K] → [n, H, W, C]
 *
 * The network is CycleGAN's ResNet generator (cyclegan/resnet-generator.ts), which the paper adapts —
 * downsampling convolutions, residual blocks and upsampling transposed convolutions with instance norm —
 * at the same small scale: one level of downsampling for 28 × 28 digits where the paper has two for 128²
 * faces, and 2 residual blocks by default where it has 6.
 */
import type { ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OutputActivation } from '../common/networks/output.js';
import { ResnetGenerator } from '../cyclegan/resnet-generator.js';

export class ConditionalResnetGenerator {
  private readonly network: ResnetGenerator;

  /** `imageChannels`: C; `domains`: K; `width`: k, the filters of the first layer. */
  constructor(
    store: ParameterStore,
    key: string,
    imageChannels: number,
    private readonly domains: number,
    width: number,
    residualBlocks: number,
    output: OutputActivation,
  ) {
    this.network = new ResnetGenerator(
      store,
      key,
      imageChannels,
      width,
      residualBlocks,
      output,
      imageChannels + domains,
    );
  }

  /** Images [n, H, W, C] and one-hot target domains [n, K] to images [n, H, W, C]. */
  apply(x: tf.Tensor4D, domains: tf.Tensor2D): tf.Tensor4D {
    const [n, height, width] = x.shape;
    const labels = tf.tile(tf.reshape(domains, [n, 1, 1, this.domains]), [1, height, width, 1]);
    return this.network.apply(tf.concat([x, labels], 3) as tf.Tensor4D);
  }
}
