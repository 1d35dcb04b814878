/** Benchmark recipes for the conditional VAE: the MLP VAE with one-hot labels on both networks. */
import type { ReproduceRecipe } from '@genzoo/core';
import { adamEpochs, BINARIZED, binarizedEntry, MLP_512_256, SUITE } from '../common/recipes/protocol.js';

const SOHN = 'Sohn, Lee & Yan 2015, conditional VAE';

export const cvaeRecipes: ReproduceRecipe[] = [
  binarizedEntry({
    name: 'fashion-mnist',
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' } },
    quickEpochs: 1,
    reference: `${SOHN}; MLP 784(+10)-512-256-z20, ReLU, Adam 1e-3, batch 128; −log p(x|y) with the test labels`,
  }),
  {
    name: 'mnist-10k',
    suite: SUITE,
    dataset: 'mnist-10k',
    datasetOptions: { ...BINARIZED },
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' } },
    train: adamEpochs(30),
    evaluation: { samples: 1000 },
    metric: 'nll_nats',
    quick: { train: { epochs: 5 } },
    reference: `${SOHN}; the quickstart on the 9,000 bundled MNIST training digits (no download)`,
  },
];
