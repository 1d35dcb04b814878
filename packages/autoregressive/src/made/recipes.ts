/** Benchmark recipes for MADE: one mask and an 8-mask ensemble on binarized Fashion-MNIST, and mnist-10k. */
import type { ReproduceRecipe } from '@genzoo/core';
import { suiteEntry } from '../common/recipes/protocol.js';

const PAPER =
  'Germain, Gregor, Murray & Larochelle 2015, MADE: Masked Autoencoder for Distribution Estimation';

export const madeRecipes: ReproduceRecipe[] = [
  suiteEntry({
    name: 'fashion-mnist',
    data: 'binarized',
    config: { hidden: [500], masks: 1 },
    epochs: 10,
    quickEpochs: 1,
    reference: `${PAPER}; one hidden layer of 500 ReLUs, one mask (binarized MNIST in the paper: 88.40 nats)`,
  }),
  suiteEntry({
    name: 'fashion-mnist-8-masks',
    data: 'binarized',
    config: { hidden: [500], masks: 8, ordering: 'random' },
    epochs: 10,
    quickEpochs: 1,
    reference: `${PAPER}; 8 orderings and connectivities trained in turn, ensembled at test time (MNIST, 32 masks: 86.64)`,
  }),
  suiteEntry({
    dataset: 'mnist-10k',
    data: 'binarized',
    name: 'mnist-10k',
    config: { hidden: [500], masks: 1 },
    epochs: 20,
    quickEpochs: 5,
    reference: `${PAPER}; on the 9,000 bundled MNIST training digits`,
  }),
];
