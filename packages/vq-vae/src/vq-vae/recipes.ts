/**
 * Benchmark recipes for the VQ-VAE: grey-level MNIST digits (the 9,000 bundled training digits of
 * mnist-10k) and Fashion-MNIST, uniformly dequantized ((x + u)/256), a Gaussian decoder of fixed variance,
 * K = 64 codes of dimension 16 on a 7 × 7 grid. The headline metric is the test reconstruction MSE
 * (`recon_mse`); evaluation also reports the code perplexity and the bound on −log p(x) (nats, bits/dim).
 */
import type { ReproduceRecipe } from '@genzoo/core';

const PAPER = 'van den Oord, Vinyals & Kavukcuoglu 2017, Neural Discrete Representation Learning';

/** Adam(1e-3) in batches of 128 for `steps` steps. */
function adamSteps(steps: number): ReproduceRecipe['train'] {
  return { steps, batchSize: 128, optimizer: { name: 'adam', learningRate: 1e-3 }, logEvery: 25 };
}

const CONFIG = { codebookSize: 64, codeDim: 16, decoder: { kind: 'gaussian', variance: 0.01 } };

export const vqVaeRecipes: ReproduceRecipe[] = [
  {
    name: 'mnist-10k',
    suite: 'vq-vae',
    dataset: 'mnist-10k',
    datasetOptions: { dequantize: true },
    config: CONFIG,
    train: adamSteps(3000),
    evaluation: {},
    metric: 'recon_mse',
    quick: { train: { steps: 300 } },
    reference: `${PAPER}; §4.1's architecture (two stride-2 4 × 4 convolutions, residual blocks) at MNIST size`,
  },
  {
    name: 'fashion-mnist',
    suite: 'vq-vae',
    dataset: 'fashion-mnist',
    datasetOptions: { dequantize: true },
    config: CONFIG,
    train: adamSteps(5000),
    evaluation: {},
    metric: 'recon_mse',
    quick: { train: { steps: 300 }, evaluation: { limit: 1000 } },
    reference: `${PAPER}; the mnist-10k configuration on Fashion-MNIST`,
  },
];
