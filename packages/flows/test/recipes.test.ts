/**
 * Every `reproduce` recipe runs: its exact model config, training config and dataset options, through
 * core's Trainer for a few steps on its dataset (2-D sets, dequantized Fashion-MNIST or mnist-10k where
 * Fashion-MNIST is not installed), then an exact held-out NLL on a few test examples, without leaking
 * tensors.
 */
import type { Dataset } from '@genzoo/core';
import { evaluateModel } from '@genzoo/evaluation';
import { recipeCases, recipeData, runRecipeSteps } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowsPlugin } from '../src/index.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const STEPS = 2;

describe('reproduce recipes run a few steps', () => {
  it('every model has recipes in the flows suite', () => {
    for (const definition of flowsPlugin.models) {
      expect(definition.reproduce.length, definition.name).toBeGreaterThan(0);
      for (const recipe of definition.reproduce) expect(recipe.suite).toBe('flows');
    }
  });

  it.each(recipeCases(flowsPlugin))('%s', async (_id, name, recipe) => {
    await recipeData(recipe);
    const before = tf.memory().numTensors;
    const { model, data, result } = await runRecipeSteps(flowsPlugin, name, recipe, STEPS);
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
