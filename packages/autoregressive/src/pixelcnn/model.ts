/**
 * PixelCNN (van den Oord, Kalchbrenner & Kavukcuoglu, ICML 2016, "Pixel Recurrent Neural Networks",
 * §3.5 and Fig. 5): a type-A masked k₁ × k₁ convolution on the image, residual blocks whose 3 × 3
 * convolution has a type-B mask, and 1 × 1 output layers:
 *
 *   h₀ = conv_A(x)                                                      (2h channels)
 *   h_{l+1} = h_l + conv₁ₓ₁(ReLU(conv_B 3×3(ReLU(conv₁ₓ₁(ReLU(h_l))))))  (2h → h → h → 2h)
 *   params = conv₁ₓ₁(ReLU(conv₁ₓ₁(ReLU(h_L))))
 *
 * 1 × 1 convolutions mix channels at a pixel and cannot see other pixels, so only the k × k layers are
 * masked (pixel masks, common/masks/pixel-masks.ts). Each masked layer lets a pixel see k//2 more rows above
 * and columns to either side: the receptive field used by the sampling crop.
 */
import { type ModelContext, type ParameterStore, Pointwise } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { buildHead } from '../common/heads/config.js';
import type { Freezable } from '../common/layers/frozen-kernels.js';
import { MaskedConv2D } from '../common/layers/masked-conv2d.js';
import { ImageAutoregressiveModel } from '../common/models/image-model.js';
import { PixelOutputLayers, stackedReach } from '../common/networks/output-layers.js';
import type { ImageNetwork, ReceptiveField } from '../common/networks/types.js';
import type { PixelcnnConfig } from './config.js';

export interface PixelCnnShape {
  /** Channels 2h of the residual stream (the blocks' bottleneck has h). */
  channels: number;
  residualBlocks: number;
  /** Size of the first (type A) kernel. */
  firstKernel: number;
  /** Size of the blocks' type-B kernels. */
  kernelSize: number;
  /** Channels of the hidden 1 × 1 output layer. */
  outputChannels: number;
}

interface ResidualBlock {
  reduce: Pointwise;
  masked: MaskedConv2D;
  expand: Pointwise;
}

export class PixelCnnNetwork implements ImageNetwork, Freezable {
  readonly receptiveField: ReceptiveField;
  private readonly first: MaskedConv2D;
  private readonly blocks: ResidualBlock[] = [];
  private readonly output: PixelOutputLayers;

  constructor(
    store: ParameterStore,
    key: string,
    inputChannels: number,
    outputs: number,
    shape: PixelCnnShape,
  ) {
    const c = shape.channels;
    const half = Math.max(1, Math.floor(c / 2));
    this.first = new MaskedConv2D(store, `${key}/input`, inputChannels, c, {
      kernelSize: shape.firstKernel,
      type: 'A',
    });
    for (let b = 0; b < shape.residualBlocks; b++) {
      this.blocks.push({
        reduce: new Pointwise(store, `${key}/block${b}/reduce`, c, half),
        masked: new MaskedConv2D(store, `${key}/block${b}/masked`, half, half, {
          kernelSize: shape.kernelSize,
          type: 'B',
        }),
        expand: new Pointwise(store, `${key}/block${b}/expand`, half, c),
      });
    }
    this.output = new PixelOutputLayers(store, key, c, shape.outputChannels, outputs);
    this.receptiveField = stackedReach(shape.firstKernel, shape.residualBlocks, shape.kernelSize);
  }

  freeze(): void {
    for (const layer of this.maskedLayers()) layer.freeze();
  }

  thaw(): void {
    for (const layer of this.maskedLayers()) layer.thaw();
  }

  private maskedLayers(): MaskedConv2D[] {
    return [this.first, ...this.blocks.map((block) => block.masked)];
  }

  apply(input: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = this.first.apply(input);
      for (const block of this.blocks) {
        const r = block.expand.apply(tf.relu(block.masked.apply(tf.relu(block.reduce.apply(tf.relu(h))))));
        h = tf.add(h, r);
      }
      return this.output.apply(h);
    });
  }
}

/**
 * The PixelCNN model: the network above under the raster-order image model
 * (common/models/image-model.ts).
 */
export function createPixelCnn(name: string, config: PixelcnnConfig, context: ModelContext) {
  return new ImageAutoregressiveModel(
    name,
    config,
    context,
    (channels) => buildHead(config.head, channels),
    (store, head) =>
      new PixelCnnNetwork(store, 'pixelcnn', head.inputChannels, head.paramsPerPosition, config),
    0,
  );
}
