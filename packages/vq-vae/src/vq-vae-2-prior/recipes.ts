/**
 * Benchmark recipes for the two-stage VQ-VAE-2: a top prior over the 7 × 7 top codes and a bottom prior over
 * the 14 × 14 bottom codes given the top ones (both Gated PixelCNNs), on the codes of the `vq-vae-2` recipe
 * of the same name (`startsFrom`: the harness trains that one first and passes its run folder as `vqvae`),
 * on the same data (dequantized grey levels). The headline metric is the two-stage bound in bits/dim.
 */
import type { ReproduceRecipe } from '@genzoo/core';

const PAPER =
  'Razavi, van den Oord & Vinyals 2019, §3.2 (a prior per level, the bottom one given the top codes)';

/**
 * The priors' networks: the vq-vae-prior recipes' Gated PixelCNN (32 channels, 4 layers, a 5 × 5 first
 * kernel: its field covers the 7 × 7 top grid); the bottom prior on the 14 × 14 grid reads the top codes
 * at every position, so the codes above and to the left it does not see are summarized by them.
 */
const PRIOR = { channels: 32, gatedLayers: 4, firstKernel: 5, kernelSize: 3, outputChannels: 64 };

function stage(dataset: 'mnist-10k' | 'fashion-mnist', steps: number): ReproduceRecipe {
  return {
    name: dataset,
    suite: 'vq-vae',
    dataset,
    datasetOptions: { dequantize: true },
    config: { top: PRIOR, bottom: PRIOR },
    train: { steps, batchSize: 128, optimizer: { name: 'adam', learningRate: 1e-3 }, logEvery: 50 },
    evaluation: {},
    metric: 'bits_per_dim',
    quick: { train: { steps: 500 }, ...(dataset === 'fashion-mnist' ? { evaluation: { limit: 1000 } } : {}) },
    startsFrom: { recipe: `vq-vae-2/${dataset}`, configKey: 'vqvae' },
    reference: PAPER,
  };
}

export const vqVae2PriorRecipes: ReproduceRecipe[] = [stage('mnist-10k', 3000), stage('fashion-mnist', 5000)];
