/**
 * Data-parallel training on worker threads: a run split two ways matches the undivided run up to float
 * summation order when the objective draws no random numbers, is reproducible when it does, averages
 * batch-norm running statistics, resumes exactly, and refuses what it cannot split.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerativeModel } from '../src/contracts/model.js';
import { ConfigError, NonFiniteLossError } from '../src/errors.js';
import { checkpointDirectory } from '../src/node/checkpoint-directory.js';
import { nodeGradientWorkers } from '../src/node/gradient-workers.js';
import type { GradientWorkerPool } from '../src/parallel/pool.js';
import type { Transport } from '../src/parallel/protocol.js';
import { type TrainConfigInput, trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  gaussianData,
  snapshotVariables,
  ToyAutoencoder,
  ToyBatchNormAe,
  ToyGan,
  ToyMoments,
  toyAeConfigSchema,
  toyGanConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = mkdtempSync(join(tmpdir(), 'genzoo-parallel-'));
let workerUrl: URL;
const pools: GradientWorkerPool[] = [];

/** Bundles the worker fixture (TypeScript sources) into one script a worker thread can run. */
beforeAll(async () => {
  await useCpu();
  const requireHere = createRequire(join(packageDir, 'package.json'));
  const esbuild = createRequire(requireHere.resolve('tsup'))('esbuild');
  const outfile = join(root, 'worker.mjs');
  await esbuild.build({
    entryPoints: [join(packageDir, 'test/parallel-worker-fixture.ts')],
    absWorkingDir: packageDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ESM builds of tfjs throughout, so the backend registers with the engine the fixture uses.
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'silent',
    // CommonJS dependencies bundled into ESM call require(); give them Node's.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  workerUrl = pathToFileURL(outfile);
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  rmSync(root, { recursive: true, force: true });
});

function pool(threads = 1, transport?: Transport): GradientWorkerPool {
  const created = nodeGradientWorkers({ threads, workerUrl, ...(transport ? { transport } : {}) });
  pools.push(created);
  return created;
}

// 52 examples in batches of 8 (6 batches an epoch; a resume point lands mid-epoch).
const data = () => new ArrayDataset('blob', gaussianData(52, [1, -2], 0.5, 7), [2], 0.05);

async function train(
  model: GenerativeModel,
  name: string,
  config: TrainConfigInput,
  workers?: GradientWorkerPool,
  dir?: string,
) {
  const losses: Array<Record<string, number>> = [];
  const trainer = new Trainer({
    model,
    modelRef: toyRef(name),
    train: data(),
    config: trainConfigSchema.parse({ batchSize: 8, checkpointSeconds: 0, ...config }),
    callbacks: [{ onStepEnd: (_step, metrics) => void losses.push(metrics) }],
    ...(workers ? { workers } : {}),
    ...(dir ? { checkpoints: checkpointDirectory(dir) } : {}),
  });
  const result = await trainer.run();
  return { losses, result, variables: snapshotVariables(model) };
}

const ae = (noise: number) =>
  new ToyAutoencoder(toyAeConfigSchema.parse({ noise }), { eventShape: [2], seed: 3 });

function expectClose(a: Record<string, number[]>, b: Record<string, number[]>, tolerance: number): void {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const key of Object.keys(a)) {
    a[key].forEach((v, i) => {
      expect(Math.abs(v - b[key][i]), `${key}[${i}]`).toBeLessThan(tolerance * (1 + Math.abs(v)));
    });
  }
}

describe('data-parallel training (worker threads)', () => {
  it('matches the undivided run up to float summation order when the objective draws no random numbers', async () => {
    const single = await train(ae(0), 'toy-ae', {
      steps: 12,
      optimizer: { name: 'adam', learningRate: 0.01 },
    });
    const split = await train(
      ae(0),
      'toy-ae',
      { steps: 12, workers: 2, optimizer: { name: 'adam', learningRate: 0.01 } },
      pool(),
    );
    expect(split.losses).toHaveLength(12);
    split.losses.forEach((metrics, step) => {
      for (const name of ['loss', 'mse', 'gradNorm']) {
        expect(Math.abs(metrics[name] - single.losses[step][name]), `step ${step} ${name}`).toBeLessThan(
          1e-5 * (1 + Math.abs(single.losses[step][name])),
        );
      }
    });
    expectClose(split.variables, single.variables, 1e-5);
    // The loss actually fell, so the comparison is of a run that trained.
    expect(split.losses[11].loss).toBeLessThan(split.losses[0].loss);
  }, 60_000);

  it('is reproducible with random draws, and both transports give the same run', async () => {
    const config = { steps: 10, workers: 2 };
    const first = await train(ae(0.1), 'toy-ae', config, pool(1, 'shared'));
    const again = await train(ae(0.1), 'toy-ae', config, pool(1, 'shared'));
    const messages = await train(ae(0.1), 'toy-ae', config, pool(1, 'messages'));
    expect(again.losses).toEqual(first.losses);
    expect(again.variables).toEqual(first.variables);
    expect(messages.losses).toEqual(first.losses);
    expect(messages.variables).toEqual(first.variables);
    // The shards draw their own noise: not the undivided run's.
    const single = await train(ae(0.1), 'toy-ae', { steps: 10 });
    expect(single.losses[0].loss).not.toEqual(first.losses[0].loss);
  }, 60_000);

  it('averages the replicas’ batch-norm running statistics', async () => {
    const config = { steps: 1, optimizer: { name: 'sgd' as const, learningRate: 0.05 } };
    const single = await train(new ToyBatchNormAe({ eventShape: [2], seed: 5 }), 'toy-bn', config);
    const split = await train(
      new ToyBatchNormAe({ eventShape: [2], seed: 5 }),
      'toy-bn',
      { ...config, workers: 2 },
      pool(),
    );
    // Equal shards: the mean of the shards' batch means is the batch mean, so one momentum update of
    // the running mean is the undivided run's.
    const key = Object.keys(single.variables).find((k) => k.endsWith('runningMean'))!;
    expect(split.variables[key].some((v) => v !== 0)).toBe(true);
    split.variables[key].forEach((v, i) => {
      expect(Math.abs(v - single.variables[key][i])).toBeLessThan(1e-6);
    });
  }, 60_000);

  it('runs a two-player schedule (critic ×3, generator with its own optimizer), reproducibly', async () => {
    const gan = () => new ToyGan(toyGanConfigSchema.parse({}), { eventShape: [2], seed: 1 });
    const first = await train(gan(), 'toy-gan', { steps: 6, workers: 2 }, pool());
    const again = await train(gan(), 'toy-gan', { steps: 6, workers: 2 }, pool());
    expect(again.variables).toEqual(first.variables);
    const initial = snapshotVariables(gan());
    for (const key of ['critic/w', 'critic/b', 'generator/shift']) {
      expect(first.variables[key], key).not.toEqual(initial[key]);
    }
    // The same metrics as an undivided run, every player's.
    const single = await train(gan(), 'toy-gan', { steps: 1 });
    expect(Object.keys(first.losses[0]).sort()).toEqual(Object.keys(single.losses[0]).sort());
    expect(Object.keys(first.losses[0])).toContain('generator/gradNorm');
  }, 60_000);

  it('resumes exactly: interrupted and continued equals uninterrupted', async () => {
    const config = { steps: 12, workers: 2, checkpointEvery: 5 };
    const whole = await train(ae(0.1), 'toy-ae', config, pool());
    const dir = join(root, 'resume');
    await train(ae(0.1), 'toy-ae', { ...config, steps: 5 }, pool(), dir);
    const losses: Array<Record<string, number>> = [];
    const trainer = await Trainer.resume(checkpointDirectory(dir), {
      registry: toyRegistry(),
      train: data(),
      steps: 12,
      workers: pool(),
      callbacks: [{ onStepEnd: (_step, metrics) => void losses.push(metrics) }],
    });
    await trainer.run();
    expect(losses).toEqual(whole.losses.slice(5));
    expect(snapshotVariables(trainer.model)).toEqual(whole.variables);
    trainer.model.dispose();
  }, 60_000);

  it('leaves no tensors behind on the main thread', async () => {
    const model = ae(0.1);
    const workers = pool();
    await train(model, 'toy-ae', { steps: 2, workers: 2 }, workers);
    const before = tf.memory().numTensors;
    await train(model, 'toy-ae', { steps: 6, workers: 2 }, workers);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('stops a diverging run with NonFiniteLossError, and reports a worker that cannot build the model', async () => {
    const broken = new ToyAutoencoder(toyAeConfigSchema.parse({ nanFromStep: 2 }), {
      eventShape: [2],
      seed: 3,
    });
    await expect(train(broken, 'toy-ae', { steps: 5, workers: 2 }, pool())).rejects.toThrow(
      NonFiniteLossError,
    );
    await expect(train(ae(0), 'toy-missing', { steps: 2, workers: 2 }, pool())).rejects.toThrow(
      /toy-missing/,
    );
  }, 60_000);

  it('runs tasks on the workers’ models once published, in both transports', async () => {
    // A task module the worker imports by URL: the model's variables as it sees them, and its input back.
    const taskFile = join(root, 'task.mjs');
    writeFileSync(
      taskFile,
      'export function variables(model, input) {\n' +
        '  const values = Object.fromEntries(Object.entries(model.variables()).map(([k, v]) => [k, Array.from(v.dataSync())]));\n' +
        '  return { values, input };\n' +
        '}\n',
    );
    const module = pathToFileURL(taskFile).href;
    for (const transport of ['shared', 'messages'] as const) {
      const workers = pool(1, transport);
      const model = ae(0.1);
      await train(model, 'toy-ae', { steps: 4, workers: 2 }, workers);
      await workers.publish(model.variables());
      const output = (await workers.task(0, { module, name: 'variables', input: [1, 2] })) as {
        values: Record<string, number[]>;
        input: number[];
      };
      expect(output.input).toEqual([1, 2]);
      expect(output.values).toEqual(snapshotVariables(model));
      await expect(workers.task(0, { module, name: 'missing', input: null })).rejects.toThrow(
        /exports no function missing/,
      );
    }
  }, 60_000);

  it('refuses closed-form players, a missing pool and a pool of the wrong size', () => {
    const make = (
      model: GenerativeModel,
      name: string,
      config: TrainConfigInput,
      workers?: GradientWorkerPool,
    ) =>
      new Trainer({
        model,
        modelRef: toyRef(name),
        train: data(),
        config: trainConfigSchema.parse({ batchSize: 8, ...config }),
        ...(workers ? { workers } : {}),
      });
    expect(() =>
      make(new ToyMoments({ eventShape: [2], seed: 0 }), 'toy-moments', { steps: 1, workers: 2 }, pool()),
    ).toThrow(/closed-form rule.*workers = 1/);
    expect(() => make(ae(0), 'toy-ae', { steps: 1, workers: 2 })).toThrow(ConfigError);
    expect(() => make(ae(0), 'toy-ae', { steps: 1, workers: 3 }, pool(1))).toThrow(/needs 2 worker thread/);
    expect(() => trainConfigSchema.parse({ steps: 1, batchSize: 2, workers: 3 })).toThrow(
      /at most batchSize/,
    );
  });
});
