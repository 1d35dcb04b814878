import type { ReproduceRecipe } from '@genzoo/core';

/**
 * The exact settings behind this model's numbers: `genzoo train __MODEL_NAME__ --dataset moons` starts
 * from the recipe of that dataset, `--quick` from its short variant, and `genzoo bench` runs them.
 */
export const __modelIdent__Recipes: ReproduceRecipe[] = [
  {
    name: 'moons',
    suite: '__MODEL_NAME__',
    dataset: 'moons',
    datasetOptions: { n: 10_000 },
    config: { initialScale: 1 },
    train: { steps: 500, batchSize: 256, optimizer: { name: 'adam', learningRate: 1e-2 }, logEvery: 50 },
    metric: 'nll_nats',
    quick: { train: { steps: 100 } },
    reference: 'maximum likelihood by Adam (Kingma & Ba 2015)',
  },
];
