/** Benchmark recipe for the β-VAE: the MLP VAE with β = 4 and a smaller latent space, for traversals. */
import type { ReproduceRecipe } from '@genzoo/core';
import { binarizedEntry, MLP_512_256 } from '../common/recipes/protocol.js';

export const betaVaeRecipes: ReproduceRecipe[] = [
  binarizedEntry({
    name: 'fashion-mnist',
    config: { latentDim: 10, network: MLP_512_256, likelihood: { kind: 'bernoulli' }, beta: 4 },
    quickEpochs: 1,
    reference: 'Higgins et al. 2017, β-VAE (β = 4); MLP 784-512-256-z10, ReLU, Adam 1e-3, batch 128',
  }),
];
