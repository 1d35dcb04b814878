/**
 * Every `reproduce` recipe runs: its exact model config, training config and dataset options, through
 * core's Trainer for a few steps (Fashion-MNIST, or mnist-10k where it is not installed; 8 Gaussians),
 * then samples (per class for conditional models, from test sources for translation models), without
 * leaking tensors.
 */
import { modelInputs, recipeCases, recipeData, runRecipeSteps } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ganPlugin } from '../src/index.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

describe('reproduce recipes run a few steps', () => {
  it('every model has recipes in the gan suite', () => {
    for (const definition of ganPlugin.models) {
      expect(definition.reproduce.length, definition.name).toBeGreaterThan(0);
      for (const recipe of definition.reproduce) expect(recipe.suite).toBe('gan');
    }
  });

  it.each(recipeCases(ganPlugin))('%s', async (_id, name, recipe) => {
    await recipeData(recipe);
    const before = tf.memory().numTensors;
    const { model, data, result } = await runRecipeSteps(ganPlugin, name, recipe, 2);
    expect(result.steps).toBe(2);
    for (const metric of ['discriminator/loss', 'generator/loss'])
      expect(Number.isFinite(result.lastMetrics[metric]), metric).toBe(true);
    // Labels for conditional models, sources for translation models (with target domains for multi-domain ones).
    const inputs = modelInputs(model, data.test, 2);
    const x = model.sample(2, { seed: 0, condition: inputs.condition, source: inputs.source });
    expect(x.shape).toEqual([2, ...data.train.eventShape]);
    tf.dispose([x, ...inputs.tensors]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
