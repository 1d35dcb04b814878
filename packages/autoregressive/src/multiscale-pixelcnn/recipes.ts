/**
 * Benchmark recipes for the multiscale PixelCNN: binarized mnist-10k and Fashion-MNIST, each with pixelcnn's
 * network for that dataset as the base, so the two models' entries compare at equal base network and epochs.
 */
import type { ReproduceRecipe } from '@genzoo/core';
import { IMAGE_BATCH, suiteEntry } from '../common/recipes/protocol.js';

const PAPER = 'Reed et al. 2017, Parallel Multiscale Autoregressive Density Estimation';

export const multiscalePixelcnnRecipes: ReproduceRecipe[] = [
  suiteEntry({
    name: 'fashion-mnist',
    data: 'binarized',
    // pixelcnn's Fashion-MNIST network at 7 × 7; the six upsampling networks stay 32 wide, as for mnist-10k
    // (at 28 × 28 their unmasked 3 × 3 convolutions cost more than the whole base).
    config: {
      channels: 64,
      residualBlocks: 5,
      firstKernel: 7,
      kernelSize: 3,
      outputChannels: 64,
      levels: 2,
      upsampleChannels: 32,
      upsampleBlocks: 2,
    },
    epochs: 1,
    quickEpochs: 0.05,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; pixelcnn's Fashion-MNIST network as the 7 × 7 base, 2 levels × 3 pixel groups of unmasked networks`,
  }),
  suiteEntry({
    dataset: 'mnist-10k',
    data: 'binarized',
    name: 'mnist-10k',
    // The base network is pixelcnn's mnist-10k network (at 7 × 7), so the two entries compare fairly.
    config: {
      channels: 32,
      residualBlocks: 3,
      firstKernel: 7,
      kernelSize: 3,
      outputChannels: 32,
      levels: 2,
      upsampleChannels: 32,
      upsampleBlocks: 2,
    },
    epochs: 5,
    quickEpochs: 1,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; 7 × 7 PixelCNN base, 2 levels × 3 pixel groups of unmasked networks, on the 9,000 bundled MNIST training digits`,
  }),
];
