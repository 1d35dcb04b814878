/**
 * Every `reproduce` recipe runs: its exact model config, training config and dataset options, through
 * core's Trainer for a few steps on its dataset (binarized or 8-bit Fashion-MNIST, or mnist-10k where
 * Fashion-MNIST is not installed: @genzoo/testing's recipeData), then an exact held-out NLL on a few test
 * images, without leaking tensors.
 */
import type { Dataset } from '@genzoo/core';
import { evaluateModel } from '@genzoo/evaluation';
import { recipeCases, recipeData, runRecipeSteps } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { autoregressivePlugin } from '../src/index.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const STEPS = 2;

const cases = recipeCases(autoregressivePlugin);

describe('reproduce recipes run a few steps', () => {
  it('every model has recipes in the autoregressive suite', () => {
    for (const definition of autoregressivePlugin.models) {
      expect(definition.reproduce.length, definition.name).toBeGreaterThan(0);
      for (const recipe of definition.reproduce) expect(recipe.suite).toBe('autoregressive');
    }
  });

  it.each(cases)('%s', async (_id, name, recipe) => {
    await recipeData(recipe);
    const before = tf.memory().numTensors;
    const { model, data, result } = await runRecipeSteps(autoregressivePlugin, name, recipe, STEPS);
    expect(result.steps).toBe(STEPS);
    expect(Number.isFinite(result.lastMetrics.nll)).toBe(true);
    const metrics = await evaluateModel(model, data.test as Dataset, { limit: 4 });
    // Binary images: at most a few hundred nats above 0; 8-bit images: bits/dim below 8 + a margin.
    expect(metrics.nll_nats).toBeGreaterThan(0);
    if (recipe.metric === 'bits_per_dim') expect(metrics.bits_per_dim).toBeLessThan(12);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
