/**
 * End to end on real toy data: the 2-D recipes' model configs, fitted the way the Trainer runs them
 * (initialize on the first batch, then the training plan), and scored with core's evaluateModel.
 */
import type { DataSplits, ReproduceRecipe, StepContext } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gmmDefinition } from '../src/gmm/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const context: StepContext = { step: 0, nextSeed: () => 0 };

function recipe(name: string): ReproduceRecipe {
  const found = gmmDefinition.reproduce.find((r) => r.name === name);
  if (!found) throw new Error(`no recipe ${name}`);
  return found;
}

async function fitEm(r: ReproduceRecipe, options: Record<string, unknown>, steps: number) {
  const data = (await loadDataset(r.dataset, { ...r.datasetOptions, ...options })) as unknown as DataSplits;
  const model = gmmDefinition.create(gmmDefinition.configSchema.parse(r.config), {
    eventShape: data.train.eventShape,
    seed: 0,
  });
  const batch = data.train.getBatch(Int32Array.from({ length: data.train.size }, (_, i) => i));
  model.initialize?.(batch.x, 0);
  const player = model.trainingPlan().players[0];
  if (player.kind !== 'update') throw new Error('expected EM');
  for (let i = 0; i < steps; i++) player.update(batch, context);
  tf.dispose([batch.x, batch.labels, batch.condition].filter((t) => t !== undefined));
  const metrics = await evaluateModel(model, data.test);
  model.dispose();
  return metrics;
}

describe('GMM recipes on toy data', () => {
  it('8gaussians: full-covariance EM reaches the true entropy of the data', async () => {
    // Eight equal components N(c_k, σ²I), σ = 0.5/1.414, well separated: H = log 8 + log(2πeσ²).
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the dataset divides by FFJORD's literal 1.414.
    const sigma = 0.5 / 1.414;
    const entropy = Math.log(8) + Math.log(2 * Math.PI * Math.E * sigma * sigma);
    const metrics = await fitEm(recipe('8gaussians'), { n: 4000, testSize: 2000 }, 20);
    expect(Math.abs(metrics.nll_nats - entropy)).toBeLessThan(0.06);
    expect(metrics.bits_per_dim).toBeCloseTo(metrics.nll_nats / (2 * Math.LN2), 10);
  });

  it('moons: full-covariance EM fits far better than a single Gaussian', async () => {
    const mixture = await fitEm(recipe('moons'), { n: 4000, testSize: 2000 }, 20);
    const single = await fitEm(
      { ...recipe('moons'), config: { ...recipe('moons').config, components: 1 } },
      { n: 4000, testSize: 2000 },
      1,
    );
    expect(mixture.nll_nats).toBeLessThan(single.nll_nats - 0.5);
  });
});
