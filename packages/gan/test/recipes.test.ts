/**
 * Every `reproduce` recipe runs: its exact model config, training config and dataset options, through
 * core's Trainer for a few steps (Fashion-MNIST, or mnist-10k where it is not installed; 8 Gaussians),
 * then samples (per class for conditional models), without leaking tensors.
 */
import { isConditionalModel, isTranslationModel } from '@genzoo/core';
import { recipeCases, recipeData, runRecipeSteps } from '@genzoo/testing';
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
    const condition = isConditionalModel(model)
      ? tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1], 'int32'), model.numClasses) as tf.Tensor2D)
      : undefined;
    const source = isTranslationModel(model) ? tf.zeros([2, ...model.domainShape]) : undefined;
    const x = model.sample(2, { seed: 0, condition, source });
    expect(x.shape).toEqual([2, ...data.train.eventShape]);
    tf.dispose([x, ...(condition ? [condition] : []), ...(source ? [source] : [])]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
