/**
 * Every `reproduce` recipe runs: its exact model config, training config (optimizer, schedule, batch
 * size) and dataset options, through core's Trainer for a few steps on its dataset, then a held-out
 * ELBO on a few test images. The MNIST recipes (the IWAE paper's and the suite protocol's) train on full
 * MNIST, which is not installed on test machines: they run on mnist-10k (the same 28×28 digits, with the
 * same options) instead.
 */
import type { Dataset } from '@genzoo/core';
import { parseDatasetOptions } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { recipeCases, recipeData, runRecipeSteps } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { vaePlugin } from '../src/index.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const STEPS = 3;

const cases = recipeCases(vaePlugin);

describe('reproduce recipes run a few steps', () => {
  it.each(cases)('%s', async (_id, name, recipe) => {
    await recipeData(recipe);
    const before = tf.memory().numTensors;
    const { model, data, result } = await runRecipeSteps(vaePlugin, name, recipe, STEPS);
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
