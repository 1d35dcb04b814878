/**
 * The data and evaluation protocol of the `flows` benchmark suite.
 *
 * 2-D sets: 100,000 training points and 10,000 fresh test points (the dataset's seeded test split),
 * raw coordinates; the metric is the exact test −log p(x) in nats (the negated average log-likelihood).
 *
 * Images: 8-bit Fashion-MNIST dequantized with uniform noise, y = (x + u)/256 (fresh noise every
 * training batch, one fixed draw for the test set), so the model is a density on [0, 1]^D and the
 * reported negative log-likelihood of the discrete data is −log p(y) + D·log 256 nats (core's
 * `dequantizationOffset`); bits/dim = that / (D ln 2), comparable with the RealNVP (MNIST 1.06) and Glow
 * (1.05) papers. The likelihood is exact, so every entry is evaluated on the whole test set.
 */
import type { ReproduceRecipe } from '@genzoo/core';

export const SUITE = 'flows';

export const TOY_DATA = { n: 100_000, testSize: 10_000 } as const;

export const DEQUANTIZED = { dequantize: true } as const;

function adam(learningRate: number, batchSize: number, steps: number): ReproduceRecipe['train'] {
  return { steps, batchSize, optimizer: { name: 'adam', learningRate }, logEvery: 100 };
}

/** A 2-D density entry: Adam(1e-3), batches of 256. */
export function toyEntry(
  dataset: '8gaussians' | 'checkerboard' | 'moons',
  config: Record<string, unknown>,
  steps: number,
  quickSteps: number,
  reference: string,
): ReproduceRecipe {
  return {
    name: dataset,
    suite: SUITE,
    dataset,
    datasetOptions: { ...TOY_DATA },
    config,
    train: adam(1e-3, 256, steps),
    metric: 'nll_nats',
    quick: { train: { steps: quickSteps } },
    reference,
  };
}

/** An image entry on dequantized 8-bit images: Adam(lr), batches of `batchSize`, a step budget. */
export function imageEntry(recipe: {
  name: string;
  dataset?: 'fashion-mnist' | 'mnist-10k';
  config: Record<string, unknown>;
  learningRate: number;
  batchSize: number;
  steps: number;
  quickSteps: number;
  reference: string;
}): ReproduceRecipe {
  return {
    name: recipe.name,
    suite: SUITE,
    dataset: recipe.dataset ?? 'fashion-mnist',
    datasetOptions: { ...DEQUANTIZED },
    config: recipe.config,
    train: adam(recipe.learningRate, recipe.batchSize, recipe.steps),
    metric: 'bits_per_dim',
    quick: { train: { steps: recipe.quickSteps } },
    reference: recipe.reference,
  };
}
