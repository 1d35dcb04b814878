/**
 * Benchmark recipes for the two-stage VQ-VAE: a Gated PixelCNN prior over the 7 × 7 code grids of the
 * `vq-vae` recipe of the same name (`startsFrom`: the harness trains that one first and passes its run
 * folder as `vqvae`), on the same data (dequantized grey levels). The headline metric is the two-stage
 * bound in bits/dim; evaluation also scores samples (classifier-FD, KID, precision/recall through the
 * dataset's reference classifier; CAS for the class-conditional prior, as the VQ-VAE-2 paper's Table 2).
 */
import type { ReproduceRecipe } from '@genzoo/core';

const PAPER = 'van den Oord, Vinyals & Kavukcuoglu 2017, §3.2 and §4.2 (a PixelCNN prior over the codes)';

/**
 * The prior network: a Gated PixelCNN whose field (2 + 4 · 1 positions up, left and right) covers every
 * code above and to the left on the 7 × 7 grid. At the network's default width (64 channels, 5 layers,
 * a 7 × 7 first kernel) a step took 4× as long on wasm (2.2 s against 0.85 s for the VQ-VAE's).
 */
const PRIOR = { channels: 32, gatedLayers: 4, firstKernel: 5, kernelSize: 3, outputChannels: 64 };

/** Adam(1e-3) in batches of 128 for `steps` steps. */
function adamSteps(steps: number): ReproduceRecipe['train'] {
  return { steps, batchSize: 128, optimizer: { name: 'adam', learningRate: 1e-3 }, logEvery: 50 };
}

function stage(
  dataset: 'mnist-10k' | 'fashion-mnist',
  options: { conditional: boolean; steps: number; score: number; quickScore: number; quickLimit?: number },
): ReproduceRecipe {
  return {
    name: options.conditional ? `${dataset}-conditional` : dataset,
    suite: 'vq-vae',
    dataset,
    datasetOptions: { dequantize: true },
    config: { network: 'gated-pixelcnn', prior: { ...PRIOR, conditional: options.conditional } },
    train: adamSteps(options.steps),
    evaluation: { score: { n: options.score } },
    metric: 'bits_per_dim',
    quick: {
      train: { steps: 500 },
      evaluation: {
        score: { n: options.quickScore },
        ...(options.quickLimit ? { limit: options.quickLimit } : {}),
      },
    },
    startsFrom: { recipe: `vq-vae/${dataset}`, configKey: 'vqvae' },
    reference: options.conditional
      ? `${PAPER}; class-conditional (a one-hot label bias in the gates), scored by CAS too`
      : PAPER,
  };
}

export const vqVaePriorRecipes: ReproduceRecipe[] = [
  // mnist-10k has 1,000 test digits: all of them are scored.
  stage('mnist-10k', { conditional: false, steps: 3000, score: 1000, quickScore: 1000 }),
  stage('mnist-10k', { conditional: true, steps: 3000, score: 1000, quickScore: 1000 }),
  stage('fashion-mnist', {
    conditional: false,
    steps: 5000,
    score: 10_000,
    quickScore: 1000,
    quickLimit: 1000,
  }),
];
