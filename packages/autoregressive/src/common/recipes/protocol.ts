/**
 * The data and evaluation protocol of the `autoregressive` benchmark suite.
 *
 * Binarized Fashion-MNIST as in the VAE suite (Burda et al. 2016): training batches binarized afresh
 * every batch, the test set once with seed 0. 8-bit Fashion-MNIST for the softmax and logistic-mixture
 * heads: the bytes themselves, x = k/255, no dequantization — these heads are distributions over the 256
 * values, so their −log p(x) is the discrete NLL directly. The likelihood is exact, so every entry is
 * evaluated on the whole test set, in the full and the quick run alike.
 */
import type { ReproduceRecipe } from '@genzoo/core';

export const SUITE = 'autoregressive';

export const BINARIZED = { binarize: 'dynamic' } as const;

/**
 * Batch of the convolutional models: the taped activations of a 64-channel PixelCNN at batch 128 come
 * to 1.8 GB (wasm's heap is 4 GB), and on wasm batches of 32 train faster per image than 128 (52 vs 38
 * images/s).
 */
export const IMAGE_BATCH = 32;

/** Adam(1e-3) in batches of `batchSize`. */
export function adam(epochs: number, batchSize = 128): ReproduceRecipe['train'] {
  return { epochs, batchSize, optimizer: { name: 'adam', learningRate: 1e-3 }, logEvery: 50 };
}

/**
 * A suite entry: binarized data (Bernoulli heads) or the 8-bit values (softmax, logistic mixture), on
 * Fashion-MNIST or on the 9,000 bundled MNIST training digits (`mnist-10k`, no download: the quickstart
 * size).
 */
export function suiteEntry(
  recipe: Pick<ReproduceRecipe, 'name' | 'config' | 'reference'> & {
    dataset?: 'fashion-mnist' | 'mnist-10k';
    data: 'binarized' | '8-bit';
    epochs: number;
    quickEpochs: number;
    batchSize?: number;
  },
): ReproduceRecipe {
  return {
    name: recipe.name,
    suite: SUITE,
    dataset: recipe.dataset ?? 'fashion-mnist',
    datasetOptions: recipe.data === 'binarized' ? { ...BINARIZED } : {},
    config: recipe.config,
    train: adam(recipe.epochs, recipe.batchSize),
    evaluation: {},
    metric: recipe.data === 'binarized' ? 'nll_nats' : 'bits_per_dim',
    quick: { train: { epochs: recipe.quickEpochs } },
    reference: recipe.reference,
  };
}
