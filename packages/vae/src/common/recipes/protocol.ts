/**
 * The data and evaluation protocol behind every number of the `vae` benchmark suite.
 *
 * Binarized data (Burda et al. 2016): training batches are binarized dynamically — a fresh Bernoulli draw
 * of the grey levels for every batch — and the test set once, with binarize seed 0 (the datasets package
 * does this for `binarize: 'dynamic'`). The headline number is the test −log p(x) in nats, estimated by
 * importance sampling: K = 5000 on the whole test set, K = 1000 on the first 1000 test images in
 * `--quick` runs.
 *
 * Continuous data: Fashion-MNIST in [0, 1] with uniform dequantization (x + u)/256, reported as bits/dim of
 * the 8-bit data (the D·log 256 offset is applied by core's evaluation).
 */
import type { ReproduceRecipe } from '@genzoo/core';

export const SUITE = 'vae';

export const BINARIZED = { binarize: 'dynamic' } as const;
export const DEQUANTIZED = { dequantize: true } as const;

export const FULL_EVALUATION = { samples: 5000 };
export const QUICK_EVALUATION = { limit: 1000, samples: 1000 };

/** The MLP VAE of the benchmark: 784-512-256-z20 with ReLU (and its mirror decoder). */
export const MLP_512_256 = { kind: 'mlp', hidden: [512, 256], activation: 'relu' } as const;

/** Adam(1e-3) in batches of 128, the training of every Fashion-MNIST entry. */
export function adamEpochs(epochs: number): ReproduceRecipe['train'] {
  return { epochs, batchSize: 128, optimizer: { name: 'adam', learningRate: 1e-3 }, logEvery: 50 };
}

/** Epochs of the Fashion-MNIST entries: equal for all, so their numbers compare at equal training. */
export const FASHION_EPOCHS = 10;

/**
 * A binarized Fashion-MNIST entry of the suite (or, with `dataset: 'mnist'`, the same protocol on MNIST,
 * which runs where the MNIST files are installed), evaluated by the protocol above.
 */
export function binarizedEntry(
  recipe: Pick<ReproduceRecipe, 'name' | 'config' | 'reference'> & {
    quickEpochs: number;
    /** Replaces the quick evaluation where K = 1000 would take minutes per pass. */
    quickEvaluation?: { limit: number; samples: number };
    dataset?: 'fashion-mnist' | 'mnist';
  },
): ReproduceRecipe {
  return {
    name: recipe.name,
    suite: SUITE,
    dataset: recipe.dataset ?? 'fashion-mnist',
    datasetOptions: { ...BINARIZED },
    config: recipe.config,
    train: adamEpochs(FASHION_EPOCHS),
    evaluation: FULL_EVALUATION,
    metric: 'nll_nats',
    quick: { train: { epochs: recipe.quickEpochs }, evaluation: recipe.quickEvaluation ?? QUICK_EVALUATION },
    reference: recipe.reference,
  };
}

/**
 * Burda et al. (2016, §5) training on binarized MNIST: Adam (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁴), batches of
 * 20, and 3ⁱ epochs at learning rate 10⁻³ · 10^(−i/7) for i = 0, …, 7 — 3280 epochs in all. With 60,000
 * training images an epoch is 3000 steps, so the rate drops after 1, 4, 13, 40, 121, 364 and 1093 epochs.
 */
export function burdaSchedule(): ReproduceRecipe['train'] {
  const stepsPerEpoch = 60_000 / 20;
  const boundaries: number[] = [];
  let epochs = 0;
  for (let i = 0; i < 7; i++) {
    epochs += 3 ** i;
    boundaries.push(epochs * stepsPerEpoch);
  }
  return {
    epochs: epochs + 3 ** 7,
    batchSize: 20,
    optimizer: { name: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-4 },
    schedule: { kind: 'step', boundaries, factor: 10 ** (-1 / 7) },
    logEvery: 1000,
    // A checkpoint every 10 epochs, so the days-long run can be resumed.
    checkpointEvery: 10 * stepsPerEpoch,
  };
}

/** The one-layer architecture of Burda et al.: 784-200-200-z50, tanh. */
export const BURDA_ONE_LAYER = {
  latentDim: 50,
  network: { kind: 'mlp', hidden: [200, 200], activation: 'tanh' },
} as const;

/** A paper reproduction on binarized MNIST: run only when asked for (days on a CPU). */
export function burdaMnist(recipe: Pick<ReproduceRecipe, 'name' | 'config' | 'reference'>): ReproduceRecipe {
  return {
    name: recipe.name,
    suite: SUITE,
    dataset: 'mnist',
    datasetOptions: { ...BINARIZED },
    config: recipe.config,
    train: burdaSchedule(),
    evaluation: FULL_EVALUATION,
    metric: 'nll_nats',
    onlyWhenAsked: true,
    reference: recipe.reference,
  };
}

export const BURDA = 'Burda, Grosse & Salakhutdinov 2016, Importance Weighted Autoencoders';
