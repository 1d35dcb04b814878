import type { ReproduceRecipe } from '@genzoo/core';
import {
  eightGaussiansEntry,
  fashionEntry,
  SUITE_DCGAN,
  TOY_ADAM,
  TOY_NETWORK,
} from '../common/recipes/protocol.js';

const GULRAJANI = 'Gulrajani et al. 2017, Improved Training of Wasserstein GANs';

export const wganGpRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    config: { network: { ...SUITE_DCGAN, discriminatorBatchNorm: false } },
    steps: 1000,
    quickSteps: 200,
    reference: `${GULRAJANI}, Alg. 1 on the suite DCGAN networks (G 64-32, critic 32-64) without batch norm in the critic: λ 10, n_critic 5, Adam(1e-4, 0, 0.9), batch 64`,
  }),
  eightGaussiansEntry({
    config: {
      latentDim: 2,
      network: TOY_NETWORK,
      output: 'linear',
      penaltyWeight: 0.1,
      optimizers: { generator: TOY_ADAM, discriminator: TOY_ADAM },
    },
    steps: 1000,
    quickSteps: 300,
    reference: `${GULRAJANI}, the 8 Gaussians toy (their gan_toy.py: ReLU MLPs, λ = 0.1, n_critic 5, Adam β = (0.5, 0.9)) at 128 units and learning rate 1e-3`,
  }),
];
