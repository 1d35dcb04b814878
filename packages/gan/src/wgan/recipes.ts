import type { ReproduceRecipe } from '@genzoo/core';
import { fashionEntry, SUITE_DCGAN } from '../common/recipes/protocol.js';

export const wganRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    config: { network: SUITE_DCGAN },
    steps: 1000,
    quickSteps: 200,
    reference:
      'Arjovsky et al. 2017, Alg. 1 on the suite DCGAN networks (G 64-32, critic 32-64 with BN, no sigmoid): clip 0.01, n_critic 5, RMSProp 5e-5, batch 64',
  }),
];
