/** Benchmark recipes for the IWAE: k = 5 and 50 with the MLP VAE's networks, and the paper's one-layer runs. */
import type { ReproduceRecipe } from '@genzoo/core';
import {
  BURDA,
  BURDA_ONE_LAYER,
  binarizedEntry,
  burdaMnist,
  MLP_512_256,
} from '../common/recipes/protocol.js';

export const iwaeRecipes: ReproduceRecipe[] = [
  binarizedEntry({
    name: 'fashion-mnist-k5',
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' }, k: 5 },
    quickEpochs: 0.5,
    reference: `${BURDA}; k = 5 with the MLP VAE's networks (784-512-256-z20, ReLU)`,
  }),
  binarizedEntry({
    name: 'fashion-mnist-k50',
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' }, k: 50 },
    quickEpochs: 0.1,
    reference: `${BURDA}; k = 50 with the MLP VAE's networks (784-512-256-z20, ReLU)`,
  }),
  burdaMnist({
    name: 'mnist-burda-k5',
    config: { ...BURDA_ONE_LAYER, likelihood: { kind: 'bernoulli' }, k: 5 },
    reference: `${BURDA}, Table 1: one-layer IWAE, k = 5 (reported test NLL 85.54 nats)`,
  }),
  burdaMnist({
    name: 'mnist-burda-k50',
    config: { ...BURDA_ONE_LAYER, likelihood: { kind: 'bernoulli' }, k: 50 },
    reference: `${BURDA}, Table 1: one-layer IWAE, k = 50 (reported test NLL 84.78 nats)`,
  }),
];
