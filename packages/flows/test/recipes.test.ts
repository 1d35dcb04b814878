/**
 * Every `reproduce` recipe runs: its exact model config, training config and dataset options, through
 * core's Trainer for a few steps on its dataset (2-D sets, dequantized Fashion-MNIST or mnist-10k; see
 * datasetOf), then an exact held-out NLL on a few test examples, without leaking tensors.
 */
import {
  type Dataset,
  evaluateModel,
  PluginRegistry,
  type ReproduceRecipe,
  Trainer,
  trainConfigSchema,
} from '@genzoo/core';
import { type LoadedDataset, listDatasets, loadDataset } from '@genzoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowsPlugin } from '../src/index.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const registry = new PluginRegistry();
registry.register(flowsPlugin);

const loaded = new Map<string, Promise<LoadedDataset>>();

/** Datasets found on this machine without a download (Fashion-MNIST needs Debian's dataset-fashion-mnist). */
const local = new Set(
  listDatasets()
    .filter((d) => d.source.found)
    .map((d) => d.name),
);

/**
 * The recipe's dataset, loaded once per set of options; where Fashion-MNIST is not installed, mnist-10k
 * (28 × 28 grey images too, with the same options) stands in, so no test needs the network.
 */
function datasetOf(recipe: ReproduceRecipe): Promise<LoadedDataset> {
  const name = local.has(recipe.dataset) ? recipe.dataset : 'mnist-10k';
  const key = JSON.stringify([name, recipe.datasetOptions]);
  if (!loaded.has(key)) loaded.set(key, loadDataset(name, recipe.datasetOptions ?? {}));
  return loaded.get(key)!;
}

const STEPS = 2;

const cases = flowsPlugin.models.flatMap((definition) =>
  definition.reproduce.map(
    (recipe) => [`${definition.name}/${recipe.name}`, definition.name, recipe] as const,
  ),
);

describe('reproduce recipes run a few steps', () => {
  it('every model has recipes in the flows suite', () => {
    for (const definition of flowsPlugin.models) {
      expect(definition.reproduce.length, definition.name).toBeGreaterThan(0);
      for (const recipe of definition.reproduce) expect(recipe.suite).toBe('flows');
    }
  });

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
      modelRef: { name, plugin: { name: flowsPlugin.name, version: flowsPlugin.version } },
      train: data.train,
      config: trainConfigSchema.parse({ ...train, steps: STEPS, logEvery: 1, checkpointEvery: 0 }),
    }).run();
    expect(result.steps).toBe(STEPS);
    expect(Number.isFinite(result.lastMetrics.nll)).toBe(true);
    const metrics = await evaluateModel(model, data.test as Dataset, { limit: 4 });
    // Two steps from identity couplings: 2-D points a few nats; dequantized images below 12 bits/dim.
    expect(Number.isFinite(metrics.nll_nats)).toBe(true);
    if (recipe.metric === 'bits_per_dim') expect(metrics.bits_per_dim).toBeLessThan(12);
    else expect(metrics.nll_nats).toBeLessThan(10);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
