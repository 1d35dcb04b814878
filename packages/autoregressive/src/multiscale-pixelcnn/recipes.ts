/** Benchmark recipes for the multiscale PixelCNN: binarized mnist-10k, with pixelcnn's mnist-10k network as the base. */
import type { ReproduceRecipe } from '@genzoo/core';
import { IMAGE_BATCH, suiteEntry } from '../common/recipes/protocol.js';

const PAPER = 'Reed et al. 2017, Parallel Multiscale Autoregressive Density Estimation';

export const multiscalePixelcnnRecipes: ReproduceRecipe[] = [
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
