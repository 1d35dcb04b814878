import { readFileSync } from 'node:fs';
import { PluginRegistry, trainConfigSchema } from '@genzoo/core';
import { parseDatasetOptions } from '@genzoo/datasets/node';
import { beforeAll, describe, expect, it } from 'vitest';
import defaultExport, { classicPlugin } from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('classicPlugin', () => {
  it('is the default export and carries the package name and version', () => {
    expect(defaultExport).toBe(classicPlugin);
    expect(classicPlugin.name).toBe('@genzoo/classic');
    expect(classicPlugin.version).toBe(packageJson.version);
    expect(classicPlugin.models.map((m) => m.name)).toEqual(['gmm', 'ppca']);
    expect(classicPlugin.models.every((m) => m.likelihood === 'exact')).toBe(true);
  });

  it('registers, and its models are created through the registry by name', () => {
    const registry = new PluginRegistry();
    registry.register(classicPlugin);
    expect(registry.listModels().map((m) => [m.name, m.family, m.package])).toEqual([
      ['gmm', 'mixture', '@genzoo/classic'],
      ['ppca', 'latent-linear', '@genzoo/classic'],
    ]);
    const gmm = registry.createModel('gmm', { components: 2 }, { eventShape: [2], seed: 0 });
    expect(gmm.name).toBe('gmm');
    expect(gmm.likelihood.kind).toBe('exact');
    gmm.dispose();
  });

  it('has reproduce recipes that validate against the model, training and dataset schemas', () => {
    const datasets = new Set(['moons', '8gaussians', 'fashion-mnist', 'mnist-10k']);
    // Training-set sizes of the image sets (toy sets name theirs in the options as `n`).
    const trainSize: Record<string, number> = { 'fashion-mnist': 60_000, 'mnist-10k': 9_000 };
    for (const model of classicPlugin.models) {
      const names = model.reproduce.map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      for (const recipe of model.reproduce) {
        const where = `${model.name}/${recipe.name}`;
        expect(recipe.suite, where).toBe('classic');
        expect(datasets.has(recipe.dataset), where).toBe(true);
        const data = parseDatasetOptions(recipe.dataset, recipe.datasetOptions);
        parseDatasetOptions(recipe.dataset, { ...recipe.datasetOptions, ...recipe.quick?.datasetOptions });
        // Full-batch recipes name the training-set size as their batch size.
        if (recipe.train.batchSize !== undefined && recipe.train.batchSize > 1000) {
          expect(recipe.train.batchSize, where).toBe(data.n ?? trainSize[recipe.dataset]);
        }
        expect(['nll_nats', 'bits_per_dim'], where).toContain(recipe.metric);
        expect(model.configSchema.safeParse(recipe.config).success, where).toBe(true);
        expect(trainConfigSchema.safeParse(recipe.train).success, where).toBe(true);
        const quickTrain = { ...recipe.train, ...recipe.quick?.train };
        expect(trainConfigSchema.safeParse(quickTrain).success, where).toBe(true);
        expect(quickTrain.steps ?? Number.POSITIVE_INFINITY, where).toBeLessThanOrEqual(
          recipe.train.steps ?? Number.POSITIVE_INFINITY,
        );
      }
    }
  });
});
