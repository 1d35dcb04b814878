/**
 * The helpers on a real plugin (@genzoo/classic's GMM, gradient-fitted on two moons) and on deliberately
 * broken models: smoke runs pass on the first and name the failed check on the others; the leak checks
 * find a leak in a method, in training, and after dispose().
 */
import { classicPlugin } from '@genzoo/classic';
import { defineModel, type GenerativeModel, type GenzooPlugin, type ReproduceRecipe } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertNoTensorLeak,
  assertSteadyTensorCount,
  checkModelLeaks,
  measureTensorLeak,
  recipeCases,
  SmokeTestError,
  smokeRecipe,
  TensorLeakError,
  useCpuBackend,
} from '../src/index.js';

beforeAll(useCpuBackend);

const gradientMoons = classicPlugin.models
  .find((m) => m.name === 'gmm')!
  .reproduce.find((r) => r.name === 'moons-gradient')!;
const moons: ReproduceRecipe = { ...gradientMoons, datasetOptions: { n: 1000 }, train: { batchSize: 64 } };

type Fault = 'none' | 'sample-leak' | 'step-leak' | 'dispose-leak' | 'sample-random' | 'nan';

/** A 2-D standard normal with one trainable offset and the fault asked for. */
class Faulty implements GenerativeModel<{ fault: Fault }> {
  readonly name = 'faulty';
  readonly eventShape = [2];
  readonly offset = tf.tidy(() => tf.variable(tf.zeros([2])));
  private readonly hoard: tf.Tensor[] = [];
  readonly likelihood = {
    kind: 'exact' as const,
    logProb: (x: tf.Tensor) =>
      tf.tidy(() => {
        const z = tf.sub(x, this.offset);
        const lp = tf.mul(-0.5, tf.sum(tf.square(z), 1));
        return (this.config.fault === 'nan' ? tf.mul(lp, Number.NaN) : lp) as tf.Tensor1D;
      }),
  };
  constructor(readonly config: { fault: Fault }) {}
  variables() {
    return { offset: this.offset };
  }
  sample(n: number, options: { seed?: number } = {}) {
    if (this.config.fault === 'sample-leak') tf.ones([1]);
    const seed = this.config.fault === 'sample-random' ? undefined : (options.seed ?? 0);
    return tf.tidy(() => tf.add(tf.randomNormal([n, 2], 0, 1, 'float32', seed), this.offset));
  }
  trainingPlan() {
    return {
      players: [
        {
          kind: 'gradient' as const,
          name: 'nll',
          variables: () => [this.offset],
          objective: {
            name: 'nll',
            compute: (batch: { x: tf.Tensor }) => ({
              loss: tf.neg(tf.mean(this.likelihood.logProb(batch.x))) as tf.Scalar,
              metrics: {},
            }),
          },
          afterUpdate: () => {
            // Runs inside the Trainer's tf.tidy: only a kept tensor outlives the step.
            const { fault } = this.config;
            if (fault === 'step-leak' || (fault === 'dispose-leak' && this.hoard.length === 0)) {
              this.hoard.push(tf.keep(tf.ones([1])));
            }
          },
        },
      ],
    };
  }
  dispose() {
    this.offset.dispose();
    if (this.config.fault !== 'dispose-leak') tf.dispose(this.hoard);
  }
}

const faultyPlugin: GenzooPlugin = {
  name: 'faulty-plugin',
  version: '0.0.0',
  models: [
    defineModel({
      name: 'faulty',
      family: 'test',
      description: 'models with planted faults',
      likelihood: 'exact',
      configSchema: z.strictObject({
        fault: z.enum(['none', 'sample-leak', 'step-leak', 'dispose-leak', 'sample-random', 'nan']),
      }),
      create: (config) => new Faulty(config),
      reproduce: [],
    }),
  ],
};
const faulty = (fault: Fault): ReproduceRecipe => ({ ...moons, name: fault, config: { fault } });

describe('smokeRecipe', () => {
  it('passes on a real model and reports what it ran', async () => {
    const report = await smokeRecipe(classicPlugin, 'gmm', moons, { steps: 3 });
    expect(report).toMatchObject({
      id: 'gmm/moons-gradient',
      dataset: 'moons',
      steps: 3,
      sampleShape: [4, 2],
    });
    expect(Number.isFinite(report.meanLogLikelihood)).toBe(true);
  });

  it.each([
    ['sample-random', /two sample\(\) calls with one seed differ/],
    ['nan', /training failed: .*NaN/],
  ] as const)('names the failed check: %s', async (fault, message) => {
    const before = tf.memory().numTensors;
    const error = await smokeRecipe(faultyPlugin, 'faulty', faulty(fault)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmokeTestError);
    expect((error as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('leak checks', () => {
  it('measure and assert around one call', async () => {
    expect((await measureTensorLeak(() => tf.dispose(tf.ones([2])))).leaked).toBe(0);
    const kept: tf.Tensor[] = [];
    await expect(assertNoTensorLeak(() => kept.push(tf.ones([2])), { label: 'push' })).rejects.toThrow(
      /push leaked 1 tensor/,
    );
    tf.dispose(kept);
  });

  it('assertSteadyTensorCount accepts a flat run after the warm-up and rejects growth', () => {
    assertSteadyTensorCount([10, 12, 14, 14, 14]);
    expect(() => assertSteadyTensorCount([10, 11, 12, 13])).toThrow(TensorLeakError);
    expect(() => assertSteadyTensorCount([10, 11])).toThrow(/no steps after/);
  });

  it('checkModelLeaks passes on a real model and on the fault-free model', async () => {
    const report = await checkModelLeaks(classicPlugin, 'gmm', moons);
    expect(report.after).toBe(report.before);
    expect(report.counts).toHaveLength(6);
    await checkModelLeaks(faultyPlugin, 'faulty', faulty('none'));
  });

  it.each([
    ['sample-leak', /faulty\.sample leaked 1 tensor/],
    ['step-leak', /live tensors changed from step to step/],
    ['dispose-leak', /outlive model\.dispose\(\)/],
  ] as const)('finds the leak: %s', async (fault, message) => {
    await expect(checkModelLeaks(faultyPlugin, 'faulty', faulty(fault))).rejects.toThrow(message);
  });
});

describe('recipeCases', () => {
  it('lists every recipe of every model as model/recipe', () => {
    const ids = recipeCases(classicPlugin).map(([id]) => id);
    expect(ids).toContain('gmm/moons-gradient');
    expect(ids.every((id) => /^(gmm|ppca)\//.test(id))).toBe(true);
  });
});
