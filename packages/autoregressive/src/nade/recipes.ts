/** Benchmark recipes for NADE: binarized Fashion-MNIST and the bundled MNIST digits. */
import type { ReproduceRecipe } from '@genzoo/core';
import { suiteEntry } from '../common/recipes/protocol.js';

const PAPER = 'Larochelle & Murray 2011, The Neural Autoregressive Distribution Estimator';

export const nadeRecipes: ReproduceRecipe[] = [
  suiteEntry({
    name: 'fashion-mnist',
    data: 'binarized',
    config: { hidden: 500 },
    // NADE's O(BDH) elementwise passes train at 88 images/s on wasm: 2 epochs take 23 minutes.
    epochs: 2,
    quickEpochs: 0.1,
    reference: `${PAPER}; H = 500 sigmoid units, Adam 1e-3, batch 128, 2 epochs (binarized MNIST in the paper: 88.86 nats)`,
  }),
  suiteEntry({
    dataset: 'mnist-10k',
    data: 'binarized',
    name: 'mnist-10k',
    config: { hidden: 500 },
    epochs: 3,
    quickEpochs: 0.5,
    reference: `${PAPER}; on the 9,000 bundled MNIST training digits`,
  }),
];
