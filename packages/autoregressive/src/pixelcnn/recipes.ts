/** Benchmark recipes for PixelCNN: Bernoulli on binarized, 256-way softmax and logistic mixture on 8-bit Fashion-MNIST. */
import type { ReproduceRecipe } from '@genzoo/core';
import { IMAGE_BATCH, suiteEntry } from '../common/recipes/protocol.js';

const PAPER = 'van den Oord, Kalchbrenner & Kavukcuoglu 2016, Pixel Recurrent Neural Networks';
const PLUS = 'Salimans, Karpathy, Chen & Kingma 2017, PixelCNN++';
/** The suite's network: 7 × 7 type A, 5 residual blocks of 3 × 3 type B, 64 channels. */
const NETWORK = { channels: 64, residualBlocks: 5, firstKernel: 7, kernelSize: 3, outputChannels: 64 };

export const pixelcnnRecipes: ReproduceRecipe[] = [
  suiteEntry({
    name: 'fashion-mnist',
    data: 'binarized',
    config: { ...NETWORK, head: { kind: 'bernoulli' } },
    epochs: 1,
    quickEpochs: 0.05,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; 7×7 type A, 5 residual blocks (1×1, 3×3 type B, 1×1), 64 channels (binarized MNIST: 81.30 nats)`,
  }),
  suiteEntry({
    name: 'fashion-mnist-8bit-softmax',
    data: '8-bit',
    config: { ...NETWORK, head: { kind: 'categorical', categories: 256 } },
    epochs: 1,
    // The 256 logits per pixel make this the slowest head (29 images/s against 53 for Bernoulli).
    quickEpochs: 0.03,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}, §5.2; the suite network with a 256-way softmax per pixel on the 8-bit images`,
  }),
  suiteEntry({
    name: 'fashion-mnist-8bit-logistic',
    data: '8-bit',
    config: { ...NETWORK, head: { kind: 'logistic-mixture', components: 5 } },
    epochs: 1,
    quickEpochs: 0.05,
    batchSize: IMAGE_BATCH,
    reference: `${PLUS}; the suite network with a 5-component discretized logistic mixture per pixel`,
  }),
  suiteEntry({
    dataset: 'mnist-10k',
    data: 'binarized',
    name: 'mnist-10k',
    config: { channels: 32, residualBlocks: 3, firstKernel: 7, kernelSize: 3, outputChannels: 32 },
    epochs: 5,
    quickEpochs: 1,
    batchSize: IMAGE_BATCH,
    reference: `${PAPER}; a small network on the 9,000 bundled MNIST training digits`,
  }),
];
