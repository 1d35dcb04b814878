/**
 * Every `reproduce` recipe runs: its exact model config, training config (optimizer, schedule, batch
 * size) and dataset options, through core's Trainer for a few steps on its dataset, then a held-out
 * ELBO on a few test images. The MNIST recipes (the IWAE paper's and the suite protocol's) train on full
 * MNIST, which is not installed on test machines: they run on mnist-10k (the same 28×28 digits, with the
 * same options) instead.
 */
import {
  type Dataset,
  evaluateModel,
  PluginRegistry,
  type ReproduceRecipe,
  Trainer,
  trainConfigSchema,
} from '@genzoo/core';
import { type LoadedDataset, listDatasets, loadDataset, parseDatasetOptions } from '@genzoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { vaePlugin } from '../src/index.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const registry = new PluginRegistry();
registry.register(vaePlugin);

const loaded = new Map<string, Promise<LoadedDataset>>();

/** Datasets found on this machine without a download (Fashion-MNIST needs Debian's dataset-fashion-mnist). */
const local = new Set(
  listDatasets()
    .filter((d) => d.source.found)
    .map((d) => d.name),
);

/**
 * The recipe's dataset, loaded once per set of options: mnist-10k stands in for full MNIST, and for
 * Fashion-MNIST where it is not installed (28 × 28 grey images too, with the same options), so no test
 * needs the network.
 */
function datasetOf(recipe: ReproduceRecipe): Promise<LoadedDataset> {
  const name = recipe.dataset !== 'mnist' && local.has(recipe.dataset) ? recipe.dataset : 'mnist-10k';
  const key = JSON.stringify([name, recipe.datasetOptions]);
  if (!loaded.has(key)) loaded.set(key, loadDataset(name, recipe.datasetOptions ?? {}));
  return loaded.get(key)!;
}

const STEPS = 3;

const cases = vaePlugin.models.flatMap((definition) =>
  definition.reproduce.map(
    (recipe) => [`${definition.name}/${recipe.name}`, definition.name, recipe] as const,
  ),
);

describe('reproduce recipes run a few steps', () => {
  it.each(cases)('%s', async (_id, name, recipe) => {
    const data = await datasetOf(recipe);
    const before = tf.memory().numTensors;
    const model = registry.createModel(name, recipe.config, {
      eventShape: data.train.eventShape,
      numClasses: data.train.numClasses,
      seed: 0,
    });
    const { epochs: _epochs, ...train } = recipe.train;
    const result = await new Trainer({
      model,
      modelRef: { name, plugin: { name: vaePlugin.name, version: vaePlugin.version } },
      train: data.train,
      config: trainConfigSchema.parse({ ...train, steps: STEPS, logEvery: 1, checkpointEvery: 0 }),
    }).run();
    expect(result.steps).toBe(STEPS);
    expect(Number.isFinite(result.lastMetrics.loss)).toBe(true);
    expect(Number.isFinite(result.lastMetrics.elbo)).toBe(true);
    const metrics = await evaluateModel(model, data.test as Dataset, { limit: 8, samples: 4 });
    expect(metrics.elbo).toBeLessThan(0);
    expect(metrics.nll_nats).toBeGreaterThan(0);
    // The IS bound is at least the ELBO up to Monte Carlo error (a few nats on 8 images at K = 4).
    expect(-metrics.nll_nats).toBeGreaterThan(metrics.elbo - 5);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stand-in data keeps the recipe: full MNIST accepts the options the MNIST recipes give mnist-10k', () => {
    const onMnist = cases.filter(([, , recipe]) => recipe.dataset === 'mnist');
    expect(onMnist).toHaveLength(6);
    for (const [id, , recipe] of onMnist) {
      expect(parseDatasetOptions('mnist', recipe.datasetOptions), id).toEqual(
        parseDatasetOptions('mnist-10k', recipe.datasetOptions),
      );
    }
  });
});
