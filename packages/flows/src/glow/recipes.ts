/** Benchmark recipes for Glow on dequantized Fashion-MNIST, and on the bundled mnist-10k digits. */
import type { ReproduceRecipe } from '@genzoo/core';
import { imageEntry } from '../common/recipes/protocol.js';

const PAPER = 'Kingma & Dhariwal 2018, Glow: Generative Flow with Invertible 1×1 Convolutions';

export const GLOW_IMAGE_CONFIG = {
  levels: 2,
  steps: 8,
  features: 64,
  coupling: 'affine',
  conv1x1: 'lu',
  prior: 'learned',
};

export const glowRecipes: ReproduceRecipe[] = [
  imageEntry({
    name: 'fashion-mnist',
    config: GLOW_IMAGE_CONFIG,
    learningRate: 1e-3,
    batchSize: 64,
    steps: 1000,
    quickSteps: 100,
    reference: `${PAPER}; L = 2 levels of K = 8 steps, 64-channel conditioners, LU 1×1 convolutions, learned split priors (MNIST in the paper: 1.05 bits/dim with K = 32, 512 channels)`,
  }),
  imageEntry({
    name: 'mnist-10k',
    dataset: 'mnist-10k',
    config: { ...GLOW_IMAGE_CONFIG, steps: 4, features: 32 },
    learningRate: 1e-3,
    batchSize: 64,
    steps: 1000,
    quickSteps: 150,
    reference: `${PAPER}; a small Glow (K = 4, 32 channels) on the 9,000 bundled MNIST training digits`,
  }),
];
