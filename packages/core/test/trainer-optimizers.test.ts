import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GradientPlayer } from '../src/contracts/training.js';
import { NonFiniteLossError } from '../src/errors.js';
import {
  learningRateScheduleSchema,
  type OptimizerConfigInput,
  optimizerConfigSchema,
} from '../src/training/config.js';
import { createOptimizer, setOptimizerLearningRate } from '../src/training/optimizers.js';
import { gradientUpdate } from '../src/training/player-step.js';
import { learningRateFactor } from '../src/training/schedules.js';
import { useCpu } from './trainer-fixtures.js';

beforeAll(useCpu);

const context = { step: 0, nextSeed: () => 0 };
const batch = () => ({ x: tf.zeros([1, 2]) });

/** A player whose loss is c·θ, so its gradient is exactly c. */
function linearPlayer(theta: tf.Variable, c: number[]): GradientPlayer {
  return {
    kind: 'gradient',
    name: 'linear',
    variables: () => [theta],
    objective: {
      name: 'linear',
      compute: () => ({ loss: tf.sum(tf.mul(theta, c)) as tf.Scalar, metrics: {} }),
    },
  };
}

/** Runs one update from θ = 0 with gradient c and returns θ. */
async function firstStep(config: OptimizerConfigInput, lr: number, c: number[], clipNorm?: number) {
  const parsed = optimizerConfigSchema.parse(config);
  const optimizer = createOptimizer(parsed);
  setOptimizerLearningRate(optimizer, parsed.name, lr);
  const theta = tf.variable(tf.zeros([c.length]));
  const x = batch();
  const metrics = await gradientUpdate(
    { player: linearPlayer(theta, c), variables: [theta], optimizer, clipNorm },
    x,
    context,
  );
  const value = Array.from(theta.dataSync());
  theta.dispose();
  x.x.dispose();
  optimizer.dispose();
  return { value, metrics };
}

describe('optimizers', () => {
  // First steps from zero state, with gradient g = c, in closed form (ε negligible):
  const c = [0.5, -2];
  const cases: Array<[string, OptimizerConfigInput, (lr: number, g: number) => number]> = [
    ['sgd', { name: 'sgd' }, (lr, g) => -lr * g],
    ['sgd with momentum', { name: 'sgd', momentum: 0.9 }, (lr, g) => -lr * g],
    // Adam and Adamax take a first step of lr·sign(g) (bias-corrected m/√v = g/|g|).
    ['adam', { name: 'adam' }, (lr, g) => -lr * Math.sign(g)],
    ['adamax', { name: 'adamax' }, (lr, g) => -lr * Math.sign(g)],
    // RMSProp: ms = (1−ρ)g², step = lr·g/√ms = lr·sign(g)/√(1−ρ).
    ['rmsprop', { name: 'rmsprop', decay: 0.9 }, (lr, g) => (-lr * Math.sign(g)) / Math.sqrt(0.1)],
  ];
  for (const [label, config, expected] of cases) {
    it(`${label}: a changed learning rate is the one applied`, async () => {
      for (const lr of [0.1, 0.025]) {
        const { value } = await firstStep(config, lr, c);
        for (let i = 0; i < c.length; i++) expect(value[i]).toBeCloseTo(expected(lr, c[i]), 5);
      }
    });
  }

  it('changing the SGD learning rate every step leaks no tensor', () => {
    const optimizer = createOptimizer(optimizerConfigSchema.parse({ name: 'sgd', momentum: 0.5 }));
    setOptimizerLearningRate(optimizer, 'sgd', 0.5);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 50; t++) setOptimizerLearningRate(optimizer, 'sgd', 0.1 + t / 100);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
  });

  it('clips the gradient to a global norm and reports the norm before clipping', async () => {
    // ‖(3, 4)‖ = 5; clipped to 1 it is (0.6, 0.8), and SGD with lr 1 steps by minus that.
    const { value, metrics } = await firstStep({ name: 'sgd' }, 1, [3, 4], 1);
    expect(value[0]).toBeCloseTo(-0.6, 6);
    expect(value[1]).toBeCloseTo(-0.8, 6);
    expect(metrics.gradNorm).toBeCloseTo(5, 5);
    const unclipped = await firstStep({ name: 'sgd' }, 1, [3, 4], 10);
    expect(unclipped.value).toEqual([-3, -4]);
  });

  it('refuses a non-finite loss before touching the variables', async () => {
    const theta = tf.variable(tf.tensor1d([1, 2]));
    const player: GradientPlayer = {
      kind: 'gradient',
      name: 'broken',
      variables: () => [theta],
      objective: {
        name: 'nan',
        compute: () => ({ loss: tf.sum(tf.log(tf.neg(theta))) as tf.Scalar, metrics: {} }),
      },
    };
    const optimizer = createOptimizer(optimizerConfigSchema.parse({ name: 'sgd' }));
    const x = batch();
    const before = tf.memory().numTensors;
    await expect(
      gradientUpdate({ player, variables: [theta], optimizer }, x, { step: 4, nextSeed: () => 0 }),
    ).rejects.toThrow(NonFiniteLossError);
    await expect(
      gradientUpdate({ player, variables: [theta], optimizer }, x, { step: 4, nextSeed: () => 0 }),
    ).rejects.toThrow(/player "broken" produced loss = NaN in step 5; the update was not applied/);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(theta.dataSync())).toEqual([1, 2]);
    theta.dispose();
    x.x.dispose();
    optimizer.dispose();
  });
});

describe('learning-rate schedules', () => {
  const factor = (schedule: unknown, step: number) =>
    learningRateFactor(learningRateScheduleSchema.parse(schedule), step);

  it('constant', () => {
    expect(factor({ kind: 'constant' }, 1234)).toBe(1);
  });

  it('exponential: rate^(t/everySteps)', () => {
    const s = { kind: 'exponential', rate: 0.5, everySteps: 100 };
    expect(factor(s, 0)).toBe(1);
    expect(factor(s, 100)).toBeCloseTo(0.5, 12);
    expect(factor(s, 250)).toBeCloseTo(0.5 ** 2.5, 12);
  });

  it('step: factor^(boundaries passed)', () => {
    const s = { kind: 'step', boundaries: [10, 20], factor: 0.1 };
    expect([0, 9, 10, 19, 20, 500].map((t) => factor(s, t))).toEqual([1, 1, 0.1, 0.1, 0.1 ** 2, 0.1 ** 2]);
  });

  it('cosine: from 1 down to minFactor over totalSteps, then flat', () => {
    const s = { kind: 'cosine', totalSteps: 100, minFactor: 0.2 };
    expect(factor(s, 0)).toBe(1);
    expect(factor(s, 50)).toBeCloseTo(0.6, 12);
    expect(factor(s, 25)).toBeCloseTo(0.2 + 0.8 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(factor(s, 100)).toBeCloseTo(0.2, 12);
    expect(factor(s, 1000)).toBeCloseTo(0.2, 12);
  });

  it('warmup: linear to 1 over warmupSteps, counting the first step', () => {
    const s = { kind: 'warmup', warmupSteps: 4 };
    expect([0, 1, 2, 3, 4, 100].map((t) => factor(s, t))).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });
});
