/**
 * Recipes for PixelVAE on binarized digits (dynamic binarization for training, the test set binarized
 * once), a pair per data set showing VLAE's "ignored latent code" (Chen et al. 2017, §3): the same encoder,
 * map decoder and PixelCNN width with a local receptive field (`-local`: one 3 × 3 layer, R = 1 — the
 * pixel to the left and the three above) and a wide one (`-wide`: 7 × 7 and five gated 3 × 3 layers, R =
 * 8). The headline metric is the importance-sampled −log p(x) in nats; evaluation also reports `kl_nats`,
 * the information z carries: several nats for the local decoder, a fraction of that for the wide one (which
 * VLAE §3 expects to fall towards 0 with longer training).
 *
 * Training: Adam 2e-3 in batches of 32. The latent comes into use only after the PixelCNN has learnt the
 * local statistics (a few hundred steps; sooner in small batches), so the quick runs take 600 steps.
 */
import type { ReproduceRecipe } from '@genzoo/core';

const PAPERS =
  'Gulrajani et al. 2017, PixelVAE; Chen et al. 2017, Variational Lossy Autoencoder (§3, the ignored latent code)';

function adamSteps(steps: number): ReproduceRecipe['train'] {
  return { steps, batchSize: 32, optimizer: { name: 'adam', learningRate: 2e-3 }, logEvery: 50 };
}

const LATENT = { latentDim: 32, hidden: [32, 64], mapChannels: 16 };
const LOCAL = { channels: 32, gatedLayers: 0, firstKernel: 3, kernelSize: 3, outputChannels: 32 };
const WIDE = { channels: 32, gatedLayers: 5, firstKernel: 7, kernelSize: 3, outputChannels: 32 };

/**
 * Importance sampling scores every draw with a full PixelCNN pass (no pixel-by-pixel sampling): K = 100 on
 * mnist-10k's 1000 test digits, K = 50 on 2000 Fashion-MNIST test images, K = 10 on 256 in quick runs.
 */
const QUICK_EVALUATION = { limit: 256, samples: 10 };

function entry(
  name: string,
  dataset: 'mnist-10k' | 'fashion-mnist',
  pixelcnn: typeof LOCAL,
  steps: number,
  evaluation: ReproduceRecipe['evaluation'],
  field: string,
): ReproduceRecipe {
  return {
    name,
    suite: 'vq-vae',
    dataset,
    datasetOptions: { binarize: 'dynamic' },
    config: { ...LATENT, pixelcnn },
    train: adamSteps(steps),
    evaluation,
    metric: 'nll_nats',
    quick: { train: { steps: 600 }, evaluation: QUICK_EVALUATION },
    reference: `${PAPERS}; global z (32 dimensions), Gated PixelCNN decoder with a ${field} receptive field`,
  };
}

export const pixelVaeRecipes: ReproduceRecipe[] = [
  entry('mnist-10k-local', 'mnist-10k', LOCAL, 3000, { samples: 100 }, 'local (R = 1)'),
  entry('mnist-10k-wide', 'mnist-10k', WIDE, 3000, { samples: 100 }, 'wide (R = 8)'),
  entry('fashion-mnist-local', 'fashion-mnist', LOCAL, 5000, { limit: 2000, samples: 50 }, 'local (R = 1)'),
  entry('fashion-mnist-wide', 'fashion-mnist', WIDE, 5000, { limit: 2000, samples: 50 }, 'wide (R = 8)'),
];
