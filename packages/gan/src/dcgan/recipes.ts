import type { ReproduceRecipe } from '@genzoo/core';
import { fashionEntry, SUITE_DCGAN } from '../common/recipes/protocol.js';

export const dcganRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    config: { network: SUITE_DCGAN },
    steps: 3000,
    quickSteps: 500,
    reference:
      'Radford et al. 2016 at 28×28: G dense → 7×7×64 → convᵀ 32 → convᵀ 1 (k 4, stride 2, BN, ReLU, tanh), D conv 32 → conv 64 (BN) → linear, leaky ReLU 0.2, N(0, 0.02²) weights, Adam(2e-4, β₁ 0.5), batch 64',
  }),
];
