/** Benchmark recipes for the two-stochastic-layer VAE in the IWAE paper's architecture. */
import type { ReproduceRecipe } from '@genzoo/core';
import {
  adamEpochs,
  BINARIZED,
  BURDA,
  binarizedEntry,
  burdaMnist,
  SUITE,
} from '../common/recipes/protocol.js';

const TWO_LAYER = {
  latentDims: [100, 50],
  hidden: [
    [100, 100],
    [50, 50],
  ],
  activation: 'tanh',
  likelihood: { kind: 'bernoulli' },
} as const;

export const hvaeRecipes: ReproduceRecipe[] = [
  binarizedEntry({
    name: 'fashion-mnist',
    config: { ...TWO_LAYER, bound: 'iwae', k: 5 },
    quickEpochs: 1,
    reference: `${BURDA}; two stochastic layers 784-100-100-z₁(100)-50-50-z₂(50), tanh, IWAE bound k = 5`,
  }),
  {
    name: 'mnist-10k',
    suite: SUITE,
    dataset: 'mnist-10k',
    datasetOptions: { ...BINARIZED },
    config: { ...TWO_LAYER, bound: 'elbo', k: 1 },
    train: adamEpochs(30),
    evaluation: { samples: 1000 },
    metric: 'nll_nats',
    quick: { train: { epochs: 5 } },
    reference: `${BURDA}; the two-layer model (ELBO) on the 9,000 bundled MNIST training digits, as vae/mnist-10k`,
  },
  burdaMnist({
    name: 'mnist-burda-k1',
    config: { ...TWO_LAYER, bound: 'elbo', k: 1 },
    reference: `${BURDA}, Table 1: two-layer VAE, k = 1 (reported test NLL 85.33 nats)`,
  }),
  burdaMnist({
    name: 'mnist-burda-k50',
    config: { ...TWO_LAYER, bound: 'iwae', k: 50 },
    reference: `${BURDA}, Table 1: two-layer IWAE, k = 50 (reported test NLL 82.90 nats)`,
  }),
];
