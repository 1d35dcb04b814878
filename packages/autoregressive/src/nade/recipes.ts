/** Benchmark recipes for NADE: binarized Fashion-MNIST and the bundled MNIST digits. */
import type { ReproduceRecipe } from '@genzoo/core';
import { fashionEntry, mnist10kEntry } from '../recipes/protocol.js';

const PAPER = 'Larochelle & Murray 2011, The Neural Autoregressive Distribution Estimator';

export const nadeRecipes: ReproduceRecipe[] = [
  fashionEntry({
    name: 'fashion-mnist',
    data: 'binarized',
    config: { hidden: 500 },
    epochs: 10,
    quickEpochs: 1,
    reference: `${PAPER}; H = 500 sigmoid units, Adam 1e-3, batch 128 (binarized MNIST in the paper: 88.86 nats)`,
  }),
  mnist10kEntry({
    name: 'mnist-10k',
    config: { hidden: 500 },
    epochs: 20,
    quickEpochs: 5,
    reference: `${PAPER}; on the 9,000 bundled MNIST training digits`,
  }),
];
