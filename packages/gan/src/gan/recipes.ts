import type { ReproduceRecipe } from '@genzoo/core';
import { eightGaussiansEntry, fashionEntry, TOY_ADAM, TOY_NETWORK } from '../common/recipes/protocol.js';

const GOODFELLOW = 'Goodfellow et al. 2014, Generative Adversarial Nets';

export const ganRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    config: { network: { kind: 'mlp', generatorHidden: [256, 512], discriminatorHidden: [512, 256] } },
    steps: 10_000,
    quickSteps: 2000,
    reference: `${GOODFELLOW}; MLP G 100-256-512-784 (ReLU, tanh), D 784-512-256-1 (leaky ReLU 0.2), non-saturating loss, Adam(2e-4, β₁ 0.5), batch 64`,
  }),
  eightGaussiansEntry({
    config: {
      latentDim: 2,
      network: TOY_NETWORK,
      output: 'linear',
      optimizers: { generator: TOY_ADAM, discriminator: TOY_ADAM },
    },
    steps: 3000,
    quickSteps: 1000,
    reference: `${GOODFELLOW}; the 2-D mode-coverage test (compare wgan-gp/8gaussians)`,
  }),
];
