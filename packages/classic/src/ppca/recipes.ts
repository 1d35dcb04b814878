/** Benchmark recipes for PPCA: the closed form in one full-batch step, and EM iterating towards it. */
import type { ReproduceRecipe } from '@genzoo/core';

const FULL_BATCH = 1_000_000;
const REFERENCE = 'Tipping & Bishop 1999, Probabilistic Principal Component Analysis';

export const ppcaRecipes: ReproduceRecipe[] = [
  {
    name: 'fashion-mnist',
    suite: 'classic',
    dataset: 'fashion-mnist',
    // Uniform dequantization makes the data continuous on [0, 1], so bits/dim is a discrete likelihood.
    datasetOptions: { dequantize: true },
    config: { latentDim: 32, fit: 'closed-form' },
    train: { steps: 1, batchSize: FULL_BATCH, logEvery: 1 },
    evaluation: { limit: 10000 },
    metric: 'bits_per_dim',
    quick: { evaluation: { limit: 1000 } },
    reference: `${REFERENCE}, §3.2 (closed-form maximum likelihood)`,
  },
  {
    name: 'fashion-mnist-em',
    suite: 'classic',
    dataset: 'fashion-mnist',
    datasetOptions: { dequantize: true },
    config: { latentDim: 32, fit: 'em' },
    train: { steps: 50, batchSize: FULL_BATCH, logEvery: 5 },
    evaluation: { limit: 10000 },
    metric: 'bits_per_dim',
    quick: { train: { steps: 5 }, evaluation: { limit: 1000 } },
    reference: `${REFERENCE}, §3.2 and App. B (EM)`,
  },
];
