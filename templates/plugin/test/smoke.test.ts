import { recipeCases, smokeRecipe, useCpuBackend } from '@genzoo/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { __ModelClass__Model, __modelIdent__ConfigSchema, plugin } from '../src/index.js';

beforeAll(useCpuBackend);

describe('__PACKAGE_NAME__', () => {
  // Every reproduce recipe, briefly, on local data: trains, samples, scores, saves and loads back.
  it.each(recipeCases(plugin))('%s: trains, samples, saves and loads', async (_id, name, recipe) => {
    const report = await smokeRecipe(plugin, name, recipe, { steps: 20 });
    expect(report.steps).toBe(20);
    expect(report.meanLogLikelihood).toBeGreaterThan(-10);
  });

  it('logProb is the diagonal-Gaussian density', () => {
    const config = __modelIdent__ConfigSchema.parse({ initialScale: 2 });
    const model = new __ModelClass__Model('__MODEL_NAME__', config, { eventShape: [2], seed: 0 });
    const x = tf.tensor2d([
      [0, 0],
      [1, -3],
    ]);
    const logNormal = (v: number) => -0.5 * Math.log(2 * Math.PI) - Math.log(2) - 0.5 * (v / 2) ** 2;
    const logProb = model.logProb(x);
    const values = Array.from(logProb.dataSync());
    expect(values[0]).toBeCloseTo(2 * logNormal(0), 5);
    expect(values[1]).toBeCloseTo(logNormal(1) + logNormal(-3), 5);
    tf.dispose([x, logProb]);
    model.dispose();
  });
});
