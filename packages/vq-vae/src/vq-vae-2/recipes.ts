/**
 * Benchmark recipes for VQ-VAE-2: grey-level MNIST digits (the 9,000 bundled training digits of
 * mnist-10k) and Fashion-MNIST, uniformly dequantized ((x + u)/256), a Gaussian decoder of fixed variance,
 * K = 64 codes of dimension 16 per level on a 7 × 7 top and a 14 × 14 bottom grid; CIFAR-10 (32 × 32 × 3:
 * 8 × 8 and 16 × 16 grids, K = 256), run only when asked for (long, and its files are downloaded). The
 * headline metric is the test reconstruction MSE from both levels (`recon_mse`); evaluation also reports it
 * from the top level alone, each level's perplexity and codes used, and the bound on −log p(x).
 */
import type { ReproduceRecipe } from '@genzoo/core';

const PAPER = 'Razavi, van den Oord & Vinyals 2019, Generating Diverse High-Fidelity Images with VQ-VAE-2';

/** Adam(1e-3) in batches of 128 for `steps` steps. */
function adamSteps(steps: number): ReproduceRecipe['train'] {
  return { steps, batchSize: 128, optimizer: { name: 'adam', learningRate: 1e-3 }, logEvery: 25 };
}

const CONFIG = {
  codebookSize: { top: 64, bottom: 64 },
  codeDim: 16,
  hidden: [64],
  topHidden: [64],
  decoder: { kind: 'gaussian', variance: 0.01 },
};

export const vqVae2Recipes: ReproduceRecipe[] = [
  {
    name: 'mnist-10k',
    suite: 'vq-vae',
    dataset: 'mnist-10k',
    datasetOptions: { dequantize: true },
    config: CONFIG,
    train: adamSteps(3000),
    evaluation: {},
    metric: 'recon_mse',
    quick: { train: { steps: 300 } },
    reference: `${PAPER}; the two-level architecture of Fig. 2a at MNIST size (14 × 14 and 7 × 7 codes)`,
  },
  {
    name: 'fashion-mnist',
    suite: 'vq-vae',
    dataset: 'fashion-mnist',
    datasetOptions: { dequantize: true },
    config: CONFIG,
    train: adamSteps(5000),
    evaluation: {},
    metric: 'recon_mse',
    quick: { train: { steps: 300 }, evaluation: { limit: 1000 } },
    reference: `${PAPER}; the mnist-10k configuration on Fashion-MNIST`,
  },
  {
    name: 'cifar-10',
    suite: 'vq-vae',
    dataset: 'cifar10',
    datasetOptions: { dequantize: true },
    config: {
      ...CONFIG,
      codebookSize: { top: 256, bottom: 256 },
      codeDim: 32,
      hidden: [128],
      topHidden: [128],
      residualChannels: 64,
    },
    train: adamSteps(20000),
    evaluation: { limit: 2000 },
    metric: 'recon_mse',
    quick: { train: { steps: 300 }, evaluation: { limit: 500 } },
    // Long, and CIFAR-10's files are downloaded: only when asked for by name.
    onlyWhenAsked: true,
    reference: `${PAPER}; Fig. 2a's two levels on 32 × 32 colour images (16 × 16 and 8 × 8 codes)`,
  },
];
