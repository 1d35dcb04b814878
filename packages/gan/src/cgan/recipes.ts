import type { ReproduceRecipe } from '@genzoo/core';
import { fashionEntry, SUITE_DCGAN } from '../common/recipes/protocol.js';

export const cganRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    config: { network: SUITE_DCGAN },
    steps: 3000,
    quickSteps: 500,
    reference:
      'Mirza & Osindero 2014 on the suite DCGAN networks (G 64-32, D 32-64): label embedding (50) joined to z, projection discriminator (Miyato & Koyama 2018), Adam(2e-4, β₁ 0.5), batch 64',
  }),
];
