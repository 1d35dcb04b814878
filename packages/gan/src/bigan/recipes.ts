import type { ReproduceRecipe } from '@genzoo/core';
import { fashionEntry } from '../common/recipes/protocol.js';

export const biganRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    config: {},
    steps: 6000,
    quickSteps: 1500,
    reference:
      'Donahue et al. 2017 (their permutation-invariant MNIST networks, scaled down): z = 50, G 50-512-512-784 (ReLU, tanh), E 784-512-50, D: x → 512 joined to z → 512 → 1 (leaky ReLU 0.2), Adam(2e-4, β₁ 0.5), batch 64',
  }),
];
