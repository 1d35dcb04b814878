/** Benchmark recipes for the VAE: MLP and conv on binarized Fashion-MNIST, Gaussian on grey levels, mnist-10k, and the IWAE paper's VAE. */
import type { ReproduceRecipe } from '@genzoo/core';
import {
  adamEpochs,
  BINARIZED,
  BURDA,
  BURDA_ONE_LAYER,
  binarizedEntry,
  burdaMnist,
  DEQUANTIZED,
  FASHION_EPOCHS,
  FULL_EVALUATION,
  MLP_512_256,
  SUITE,
} from '../common/recipes/protocol.js';

const KINGMA = 'Kingma & Welling 2014, Auto-Encoding Variational Bayes';

export const vaeRecipes: ReproduceRecipe[] = [
  binarizedEntry({
    name: 'fashion-mnist',
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' } },
    quickEpochs: 1,
    reference: `${KINGMA}; MLP 784-512-256-z20, ReLU, Adam 1e-3, batch 128 (PyTorch reference: benchmarks/reference/pytorch_vae.py)`,
  }),
  binarizedEntry({
    name: 'fashion-mnist-conv',
    config: {
      latentDim: 16,
      network: { kind: 'conv', channels: [32, 64], kernelSize: 3, hidden: [], activation: 'relu' },
      likelihood: { kind: 'bernoulli' },
    },
    quickEpochs: 0.5,
    // The transposed-convolution decoder costs about 7× the MLP's per latent draw (3.9M multiply-adds):
    // K = 1000 on 1000 images takes 3.5 minutes per pass on wasm, so the quick run uses K = 200.
    quickEvaluation: { limit: 1000, samples: 200 },
    reference: `${KINGMA}; two stride-2 convolutions (32, 64 channels), z = 16, mirror transposed-convolution decoder`,
  }),
  {
    name: 'fashion-mnist-gaussian',
    suite: SUITE,
    dataset: 'fashion-mnist',
    datasetOptions: { ...DEQUANTIZED },
    config: {
      latentDim: 20,
      network: MLP_512_256,
      // Measured after one epoch (quick): v_min = 1e-4 gives 6.18 bits/dim, 1e-5 gives 6.28, and one
      // variance per image 7.17.
      likelihood: { kind: 'gaussian-learned', per: 'pixel', minVariance: 1e-4 },
    },
    train: adamEpochs(FASHION_EPOCHS),
    evaluation: FULL_EVALUATION,
    metric: 'bits_per_dim',
    // The decoder outputs a mean and a variance per pixel: K = 1000 takes 1.7 minutes per pass on wasm.
    quick: { train: { epochs: 1 }, evaluation: { limit: 1000, samples: 200 } },
    reference: `${KINGMA}, App. C.2 (Gaussian decoder with learned variances); 8-bit dequantized grey levels in [0, 1]`,
  },
  binarizedEntry({
    name: 'mnist',
    dataset: 'mnist',
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' } },
    quickEpochs: 1,
    reference: `${KINGMA}; the Fashion-MNIST protocol on binarized MNIST (where the MNIST files are installed)`,
  }),
  {
    name: 'mnist-10k',
    suite: SUITE,
    dataset: 'mnist-10k',
    datasetOptions: { ...BINARIZED },
    config: { latentDim: 20, network: MLP_512_256, likelihood: { kind: 'bernoulli' } },
    train: adamEpochs(30),
    evaluation: { samples: 1000 },
    metric: 'nll_nats',
    quick: { train: { epochs: 5 } },
    reference: `${KINGMA}; the quickstart on the 9,000 bundled MNIST training digits (no download)`,
  },
  burdaMnist({
    name: 'mnist-burda',
    config: { ...BURDA_ONE_LAYER, likelihood: { kind: 'bernoulli' }, samples: 1 },
    reference: `${BURDA}, Table 1: one-layer VAE, k = 1 (reported test NLL 86.76 nats)`,
  }),
];
