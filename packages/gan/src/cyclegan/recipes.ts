import type { ReproduceRecipe } from '@genzoo/core';
import { adversarialSteps, SUITE, SYMMETRIC_RANGE, scoreWith } from '../common/recipes/protocol.js';

/**
 * Digits to their negatives, learned from unpaired examples. The budgets follow wasm's throughput on one
 * core at these settings, about 0.95 steps of 32 pairs per second (the generators' update, four passes
 * through G or F and their gradients, takes 80% of a step): 800 steps is about 15 minutes, the quick 150
 * about 3. The score uses 1,000
 * translations, one per digit of the mnist-10k test split.
 */
export const cycleganRecipes: ReproduceRecipe[] = [
  {
    name: 'mnist-10k-inverted',
    suite: SUITE,
    dataset: 'mnist-10k-inverted',
    datasetOptions: { ...SYMMETRIC_RANGE },
    config: {},
    train: adversarialSteps(800, 32),
    evaluation: scoreWith(1000),
    metric: 'classifier_fd',
    quick: { train: { steps: 150 } },
    reference:
      'Zhu et al. 2017 at 28×28: ResNet generators c7s1-16, d32, 2 × R32, u16 (k 4), c7s1-1, tanh; PatchGAN conv 16 → conv 32 (IN) → conv 1, 18×18 patches; instance norm, N(0, 0.02²) weights, least-squares GAN loss, λ_cyc = 10, no identity loss, Adam(2e-4, β₁ 0.5), batch 32 (the paper: batch 1, no image pool here)',
  },
];
