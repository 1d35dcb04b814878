import type { ReproduceRecipe } from '@genzoo/core';
import { adversarialSteps, SUITE, SYMMETRIC_RANGE, scoreWith } from '../common/recipes/protocol.js';

/**
 * Digits between five domains (upright, rotated by 90°, inverted, thickened, thinned), each digit seen in
 * one domain only. The budgets follow wasm's throughput on one core at these settings (see the README's
 * measured row). The score translates all 1,000 test digits to every domain: the accuracy of the
 * mnist-10k-domains reference classifier (a domain classifier) on the translations, and classifier-FD per
 * target domain against that domain's real test images.
 */
export const starganRecipes: ReproduceRecipe[] = [
  {
    name: 'mnist-10k-domains',
    suite: SUITE,
    dataset: 'mnist-10k-domains',
    datasetOptions: { ...SYMMETRIC_RANGE },
    config: {},
    train: adversarialSteps(1500, 16),
    evaluation: scoreWith(1000),
    metric: 'target_accuracy',
    quick: { train: { steps: 200 } },
    reference:
      'Choi et al. 2018 at 28×28: G = the CycleGAN ResNet generator (c7s1-16, d32, 2 × R32, u16, c7s1-1, tanh, instance norm) on the image and K = 5 replicated one-hot target channels; D = PatchGAN 4×4 stride-2 convs 16-32-64 with LeakyReLU(0.01), no normalization, D_src 3×3 conv and D_cls over the whole 4×4 map; WGAN-GP λ_gp 10, λ_cls 1, λ_rec 10, n_critic 5, Adam(1e-4, 0.5, 0.999), batch 16 (the paper: 128² images, 6 residual blocks, 6 D layers, learning-rate decay, batch 16)',
  },
];
