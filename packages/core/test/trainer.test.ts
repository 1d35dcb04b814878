import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { BatchStream } from '../src/training/batch-stream.js';
import { type TrainConfigInput, trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  gaussianData,
  snapshotVariables,
  ToyAutoencoder,
  ToyGan,
  ToyMoments,
  toyAeConfigSchema,
  toyRef,
  useCpu,
} from './trainer-fixtures.js';

beforeAll(useCpu);

const blob = (n = 64, noise = 0) => new ArrayDataset('blob', gaussianData(n, [1, -2], 0.5, 7), [2], noise);
const config = (input: TrainConfigInput) => trainConfigSchema.parse(input);

function ae(seed = 3) {
  return new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed });
}

describe('Trainer', () => {
  it('trains a one-player model, lowering the loss, with no tensor leak over 200 steps', async () => {
    const model = ae();
    const counts = new Map<number, number>();
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-ae'),
      train: blob(64, 0.05),
      config: config({
        steps: 200,
        batchSize: 16,
        optimizer: { name: 'adam', learningRate: 0.01 },
        logEvery: 50,
      }),
      callbacks: [{ onStepEnd: (step) => void counts.set(step, tf.memory().numTensors) }],
    });
    const result = await trainer.run();
    expect(counts.get(200)).toBe(counts.get(10));
    expect(result.steps).toBe(200);
    // 200 steps × 16 examples over 64 examples: 50 epochs.
    expect(result.epochs).toBe(50);
    const train = result.history.filter((h) => h.kind === 'train');
    expect(train.map((h) => h.step)).toEqual([50, 100, 150, 200]);
    expect(train[3].metrics.mse).toBeLessThan(train[0].metrics.mse);
    expect(Object.keys(result.lastMetrics).sort()).toEqual(['gradNorm', 'loss', 'mse']);
    expect(result.examplesPerSecond).toBeGreaterThan(0);
    // Data-dependent initialization ran once, before the first step.
    expect(model.initializeCalls).toBe(1);
    model.dispose();
  });

  it('times the training steps apart from evaluations and callbacks, so train throughput is undiluted', async () => {
    const model = ae();
    const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-ae'),
      train: blob(64),
      config: config({ steps: 40, batchSize: 16, evalEvery: 10, logEvery: 10 }),
      // Four evaluations (steps 10, 20, 30 and the final one) of 150 ms, and 10 ms after every step.
      evaluate: async () => {
        await sleep(150);
        return { score: 1 };
      },
      callbacks: [{ onStepEnd: () => sleep(10) }],
    });
    const result = await trainer.run();
    const { setup, steps, evaluation, checkpoints, other } = result.timing;
    expect(evaluation).toBeGreaterThanOrEqual(0.6);
    expect(other).toBeGreaterThanOrEqual(0.4);
    // No checkpoint storage: nothing but the call itself.
    expect(checkpoints).toBeLessThan(0.01);
    expect(setup + steps + evaluation + checkpoints + other).toBeCloseTo(result.seconds, 6);
    // 40 steps of 16 examples: the loop's throughput counts the steps' own seconds only.
    expect(result.trainExamplesPerSecond).toBeCloseTo((40 * 16) / steps, 6);
    expect(result.examplesPerSecond).toBeCloseTo((40 * 16) / result.seconds, 6);
    // The second of sleeps is outside the steps' time, whatever the machine's load.
    expect(result.seconds - steps).toBeGreaterThanOrEqual(1);
    expect(result.trainExamplesPerSecond).toBeGreaterThan(result.examplesPerSecond);
    model.dispose();
  });

  it('is reproducible: the same seed gives the same run, another seed another run', async () => {
    const run = async (seed: number) => {
      const model = ae();
      await new Trainer({
        model,
        modelRef: toyRef('toy-ae'),
        train: blob(64, 0.05),
        config: config({ steps: 12, batchSize: 16, seed }),
      }).run();
      const values = snapshotVariables(model);
      model.dispose();
      return values;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('converts an epoch budget into steps, counting every batch of the schedule', async () => {
    const model = new ToyGan({ generatorLr: 0.05 }, { eventShape: [2], seed: 1 });
    const data = blob(64);
    // 8 batches per epoch, 4 batches per step (critic ×3 + generator ×1): 1.5 epochs = 12 batches = 3 steps.
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-gan'),
      train: data,
      config: config({ epochs: 1.5, batchSize: 8 }),
    });
    expect(trainer.totalSteps).toBe(3);
    const result = await trainer.run();
    expect(result.steps).toBe(3);
    expect(result.epochs).toBe(1.5);
    expect(data.getBatchCalls).toBe(12);
    model.dispose();
  });

  it('runs a two-player schedule: repeats, per-player variables and optimizers, prefixed metrics', async () => {
    const model = new ToyGan({ generatorLr: 0.1 }, { eventShape: [2], seed: 1 });
    const before = snapshotVariables(model);
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-gan'),
      train: new ArrayDataset('blob', gaussianData(256, [2, -1], 0.3, 4), [2]),
      config: config({ steps: 150, batchSize: 32, optimizer: { name: 'adam', learningRate: 0.05 } }),
    });
    const result = await trainer.run();
    expect(model.computeCalls).toEqual({ critic: 450, generator: 150 });
    expect(Object.keys(result.lastMetrics).sort()).toEqual([
      'critic/gradNorm',
      'critic/loss',
      'critic/realScore',
      'generator/gradNorm',
      'generator/loss',
    ]);
    const after = snapshotVariables(model);
    expect(after['critic/w']).not.toEqual(before['critic/w']);
    // The generator, trained only against the critic, moves its samples onto the data mean [2, −1].
    expect(after['generator/shift'][0]).toBeCloseTo(2, 0);
    expect(after['generator/shift'][1]).toBeCloseTo(-1, 0);
    model.dispose();
  });

  it('runs closed-form update players next to gradient players', async () => {
    const data = blob(64);
    const model = new ToyMoments({ eventShape: [2], seed: 0 });
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-moments'),
      train: data,
      config: config({ steps: 4, batchSize: 8, seed: 9, optimizer: { name: 'sgd', learningRate: 0.1 } }),
    });
    const result = await trainer.run();
    expect(result.lastMetrics['moments/seen']).toBe(32);
    // The update player saw every other batch of the stream (schedule: moments, scale, moments, …).
    const stream = new BatchStream(data, 8, 9);
    const seen: number[][] = [];
    for (let b = 0; b < 8; b++) {
      const batch = stream.next();
      if (b % 2 === 0) seen.push(...(batch.x.arraySync() as number[][]));
      batch.x.dispose();
    }
    const mean = [0, 1].map((j) => seen.reduce((s, row) => s + row[j], 0) / seen.length);
    const fitted = snapshotVariables(model).mean;
    expect(fitted[0]).toBeCloseTo(mean[0], 5);
    expect(fitted[1]).toBeCloseTo(mean[1], 5);
    expect(snapshotVariables(model).logScale).not.toEqual([0, 0]);
    model.dispose();
  });

  it('rejects a batch larger than the training set and a missing budget', () => {
    const model = ae();
    const make = (input: TrainConfigInput, train = blob(64)) =>
      new Trainer({ model, modelRef: toyRef('toy-ae'), train, config: config(input) });
    expect(() => make({ steps: 1, batchSize: 65 })).toThrow(ConfigError);
    expect(() => make({ steps: 1, batchSize: 65 })).toThrow(
      /batchSize 65 is larger than the training set "blob" \(64/,
    );
    expect(() => make({ batchSize: 8 })).toThrow(/give steps or epochs/);
    const wrongShape = new ArrayDataset('cube', new Float32Array(30), [3]);
    expect(() => make({ steps: 1, batchSize: 2 }, wrongShape)).toThrow(
      /examples of shape \[3\], the model expects \[2\]/,
    );
    model.dispose();
  });

  it('can run only once', async () => {
    const model = ae();
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-ae'),
      train: blob(),
      config: config({ steps: 1, batchSize: 8 }),
    });
    await trainer.run();
    await expect(trainer.run()).rejects.toThrow(/only be called once/);
    model.dispose();
  });
});
