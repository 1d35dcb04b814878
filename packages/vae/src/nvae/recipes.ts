/** Benchmark recipes for NVAE on binarized digits (the `vae` suite's protocol). */
import type { ReproduceRecipe } from '@genzoo/core';
import { BINARIZED, SUITE } from '../common/recipes/protocol.js';

const NVAE = 'Vahdat & Kautz 2020, NVAE: A Deep Hierarchical Variational Autoencoder';

export const nvaeRecipes: ReproduceRecipe[] = [
  {
    name: 'mnist-10k',
    suite: SUITE,
    dataset: 'mnist-10k',
    datasetOptions: { ...BINARIZED },
    config: {
      channels: 8,
      scales: 2,
      groupsPerScale: 2,
      latentChannels: 4,
      cellsPerGroup: 1,
      likelihood: { kind: 'bernoulli' },
      klWarmupSteps: 1000,
    },
    train: { epochs: 30, batchSize: 64, optimizer: { name: 'adam', learningRate: 3e-3 }, logEvery: 50 },
    evaluation: { samples: 1000 },
    metric: 'nll_nats',
    quick: { train: { epochs: 5 }, evaluation: { limit: 1000, samples: 100 } },
    reference: `${NVAE}; 2 scales (7×7, 14×14) × 2 groups of 4 latent channels, channels 8/16/32, one cell per group`,
  },
];
