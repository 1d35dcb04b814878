/**
 * The data and evaluation protocol behind every number of the `gan` benchmark suite.
 *
 * Images: Fashion-MNIST in [−1, 1] (the generators end in tanh), no dequantization. GANs have no
 * likelihood, so each entry is scored by sample quality: `score.n` generated images against as many test
 * images, through the reference classifier's features (classifier-FD, KID with its standard error,
 * precision and recall; CAS for conditional models). The headline metric is `classifier_fd` — computed
 * on a small Fashion-MNIST classifier, not on Inception-v3, so not comparable with FID numbers in papers.
 *
 * 2-D: 8 Gaussians on a circle (FFJORD's `8gaussians`), scored by how many of the 8 modes the samples
 * cover, the fraction of samples near a mode, and the Fréchet distance on the raw coordinates.
 */
import type { ReproduceRecipe } from '@genzoo/core';

export const SUITE = 'gan';

/** Images in the generators' tanh range. */
export const SYMMETRIC_RANGE = { range: [-1, 1] } as const;

/** Sample-quality evaluation with `n` samples (full runs: all 10,000 test images). */
export const scoreWith = (n: number) => ({ score: { n } });
export const FULL_SCORE = scoreWith(10_000);
export const QUICK_SCORE = scoreWith(2_000);

/** Steps of `batchSize`, logged every 50 (a GAN step is one generator update and its critic updates). */
export function adversarialSteps(steps: number, batchSize = 64): ReproduceRecipe['train'] {
  return { steps, batchSize, logEvery: 50 };
}

/** A Fashion-MNIST entry of the suite with its full and quick budgets. */
export function fashionEntry(
  recipe: Pick<ReproduceRecipe, 'name' | 'config' | 'reference'> & { steps: number; quickSteps: number },
): ReproduceRecipe {
  return {
    name: recipe.name,
    suite: SUITE,
    dataset: 'fashion-mnist',
    datasetOptions: { ...SYMMETRIC_RANGE },
    config: recipe.config,
    train: adversarialSteps(recipe.steps),
    evaluation: FULL_SCORE,
    metric: 'classifier_fd',
    quick: { train: { steps: recipe.quickSteps }, evaluation: QUICK_SCORE },
    reference: recipe.reference,
  };
}

/**
 * The DCGAN networks of the image entries, at half DCGAN's 28×28 widths: wasm trains the default
 * [128, 64] / [64, 128] networks at about 1 step of 64 per second on one core (the transposed
 * convolutions dominate), these at about 3.
 */
export const SUITE_DCGAN = {
  kind: 'dcgan',
  generatorChannels: [64, 32],
  discriminatorChannels: [32, 64],
} as const;

/** The 2-D entry: mode coverage on 8 Gaussians. */
export function eightGaussiansEntry(
  recipe: Pick<ReproduceRecipe, 'config' | 'reference'> & { steps: number; quickSteps: number },
): ReproduceRecipe {
  return {
    name: '8gaussians',
    suite: SUITE,
    dataset: '8gaussians',
    datasetOptions: { n: 100_000 },
    config: recipe.config,
    train: adversarialSteps(recipe.steps, 256),
    evaluation: scoreWith(2_000),
    metric: 'modes_covered',
    quick: { train: { steps: recipe.quickSteps } },
    reference: recipe.reference,
  };
}

/** The MLP of the 2-D entries: 3 hidden layers of 128 units on both sides (linear output). */
export const TOY_NETWORK = {
  kind: 'mlp',
  generatorHidden: [128, 128, 128],
  discriminatorHidden: [128, 128, 128],
} as const;

/**
 * Adam of the 2-D entries, for both players: learning rate 1e-3 and β₁ = 0.5 (the 2-D sets train far
 * faster than images; measured: WGAN-GP covers all 8 modes in 200 steps at 1e-3, 5 of 8 at 1e-4).
 */
export const TOY_ADAM = { learningRate: 1e-3, beta1: 0.5 } as const;
