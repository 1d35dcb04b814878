/** Benchmark recipes for RealNVP: the three 2-D sets, and the multi-scale image model on Fashion-MNIST. */
import type { ReproduceRecipe } from '@genzoo/core';
import { imageEntry, toyEntry } from '../common/recipes/protocol.js';

const PAPER = 'Dinh, Sohl-Dickstein & Bengio 2017, Density estimation using Real NVP';
/** 2-D: 8 affine couplings, each an MLP 1-128-128-2 giving the shift and tanh-bounded log-scale. */
const TOY = { couplings: 8, hidden: [128, 128], mask: 'half', scale: 'tanh' };

export const IMAGE_CONFIG = {
  levels: 2,
  couplingsPerScale: 3,
  finalCouplings: 4,
  features: 32,
  blocks: 1,
  scale: 'tanh',
  actnorm: true,
  preprocess: 'logit',
};

export const realnvpRecipes: ReproduceRecipe[] = [
  ...(['moons', '8gaussians', 'checkerboard'] as const).map((set) =>
    toyEntry(
      set,
      TOY,
      5000,
      1000,
      `${PAPER}; 8 affine couplings with MLP conditioners (the 2-D experiments, Fig. 1)`,
    ),
  ),
  imageEntry({
    name: 'fashion-mnist',
    config: IMAGE_CONFIG,
    learningRate: 1e-3,
    batchSize: 64,
    steps: 1000,
    quickSteps: 100,
    reference: `${PAPER}; 2 scales (3 checkerboard, squeeze, 3 channel-wise, factor-out; then 4 checkerboard), ResNet conditioners of 1 block × 32 channels (MNIST in the paper's appendix: 1.06 bits/dim)`,
  }),
];
