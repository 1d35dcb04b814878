/** Benchmark recipes for Gated PixelCNN: unconditional and class-conditional on binarized Fashion-MNIST and mnist-10k. */
import type { ReproduceRecipe } from '@genzoo/core';
import { IMAGE_BATCH, suiteEntry } from '../common/recipes/protocol.js';

const PAPER = 'van den Oord et al. 2016, Conditional Image Generation with PixelCNN Decoders';
/**
 * The suite's network: a 7-wide first layer and 5 gated 3-wide layers, PixelCNN's depth. 32 channels per
 * stack (64 before the gate) cost 21k multiply-adds per pixel and layer, against 13k for a PixelCNN
 * block at 64 channels; at 64 channels per stack a gated layer costs 85k, and the network trains at 9
 * images/s on wasm.
 */
const NETWORK = { channels: 32, gatedLayers: 5, firstKernel: 7, kernelSize: 3, outputChannels: 64 };

export const gatedPixelcnnRecipes: ReproduceRecipe[] = [
  suiteEntry({
    name: 'fashion-mnist',
    data: 'binarized',
    config: { ...NETWORK },
    epochs: 1,
    quickEpochs: 0.03,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; vertical and horizontal stacks, gated units; PixelCNN's depth, 32 channels per stack`,
  }),
  suiteEntry({
    name: 'fashion-mnist-conditional',
    data: 'binarized',
    config: { ...NETWORK, conditional: true },
    epochs: 1,
    quickEpochs: 0.03,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}, §2.3; class-conditional (a one-hot label bias in the gates); reports −log p(x | class)`,
  }),
  suiteEntry({
    dataset: 'mnist-10k',
    data: 'binarized',
    name: 'mnist-10k',
    config: {
      channels: 32,
      gatedLayers: 3,
      firstKernel: 7,
      kernelSize: 3,
      outputChannels: 32,
      conditional: true,
    },
    epochs: 5,
    quickEpochs: 0.25,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; a small class-conditional network on the 9,000 bundled MNIST training digits`,
  }),
  suiteEntry({
    dataset: 'mnist-10k',
    data: 'binarized',
    name: 'mnist-10k-unconditional',
    // The unconditional −log p(x) beside pixelcnn's and multiscale-pixelcnn's mnist-10k entries: the same
    // data, width, depth and epochs (quick: 1), so the three compare likelihood and sampling speed directly.
    config: { channels: 32, gatedLayers: 3, firstKernel: 7, kernelSize: 3, outputChannels: 32 },
    epochs: 5,
    quickEpochs: 1,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; the small network unconditional, on the 9,000 bundled MNIST training digits`,
  }),
];
