/**
 * The checkpoint guard (a diverged model is never kept as the last good checkpoint), time-based
 * checkpoints, and the log window a checkpoint carries so a resumed run logs the same lines.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedCheckpoint, loadCheckpoint, restoreVariables } from '../src/checkpoint/load.js';
import type { CheckpointStorage } from '../src/checkpoint/storage.js';
import type { GenerativeModel, ModelContext } from '../src/contracts/model.js';
import type { GradientPlayer, TrainingPlan } from '../src/contracts/training.js';
import { NonFiniteLossError } from '../src/errors.js';
import { BatchNorm } from '../src/nn/batch-norm.js';
import { MLP } from '../src/nn/layers.js';
import { ParameterStore } from '../src/nn/params.js';
import { checkpointDirectory } from '../src/node/checkpoint-directory.js';
import { JsonlMetricsLogger } from '../src/node/jsonl-logger.js';
import { deriveSeed } from '../src/random/seeds.js';
import { BatchStream } from '../src/training/batch-stream.js';
import type { HistoryEntry, TrainerCallback } from '../src/training/callbacks.js';
import { type TrainConfigInput, trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  gaussianData,
  ToyAutoencoder,
  toyAeConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-guard-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const blob = () => new ArrayDataset('blob', gaussianData(64, [1, -2], 0.5, 7), [2], 0.1);

function toyTrainer(train: TrainConfigInput, checkpointDir?: string, callbacks: TrainerCallback[] = []) {
  const model = new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed: 3 });
  return new Trainer({
    model,
    modelRef: toyRef('toy-ae'),
    train: blob(),
    config: trainConfigSchema.parse({ batchSize: 8, ...train }),
    checkpoints: checkpointDir === undefined ? undefined : checkpointDirectory(checkpointDir),
    callbacks,
  });
}

/** The autoencoder's loss on the batch a run resumed from `checkpoint` would train on next. */
function nextLoss(model: GenerativeModel, checkpoint: LoadedCheckpoint): number {
  const { state, train } = checkpoint.manifest;
  const stream = new BatchStream(blob(), train.batchSize, train.seed, state);
  const batch = stream.peek();
  const player = model.trainingPlan().players[0] as GradientPlayer;
  const context = { step: state.step, nextSeed: () => deriveSeed(0, 'next', state.step) };
  const loss = tf.tidy(() => player.objective.compute(batch, context).loss.dataSync()[0]);
  batch.x.dispose();
  return loss;
}

describe('checkpoint guard', () => {
  it('a learning-rate jump that diverges leaves the last checkpoint whose next loss is finite', async () => {
    // SGD at 0.05, ×10⁴ from step 50: the weights blow up within a few steps, with finite values
    // (|w| in the thousands) before the first NaN loss. With a checkpoint after every step, the loss
    // check of each update alone would keep the last finite-but-diverged weights.
    const config: TrainConfigInput = {
      steps: 200,
      checkpointEvery: 1,
      optimizer: { name: 'sgd', learningRate: 0.05 },
      schedule: { kind: 'step', boundaries: [50], factor: 1e4 },
    };
    const dir = join(root, 'diverge');
    const t = toyTrainer(config, dir);
    const error = await t.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const failedAfter = t.currentStep;
    expect(failedAfter).toBeGreaterThan(50);
    t.model.dispose();

    const checkpoint = await loadCheckpoint(checkpointDirectory(dir));
    const kept = checkpoint.manifest.state.step;
    expect(kept).toBeGreaterThanOrEqual(50);
    expect(kept).toBeLessThanOrEqual(failedAfter);
    expect((error as Error).message).toContain(`(step ${kept}) was left as it was`);
    for (const [key, tensor] of Object.entries(checkpoint.weights))
      expect(tensor.values.every(Number.isFinite), key).toBe(true);
    const model = new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed: 3 });
    restoreVariables(model.variables(), checkpoint.weights);
    expect(Number.isFinite(nextLoss(model, checkpoint))).toBe(true);
    model.dispose();
  });

  it('probing before checkpoints and validating leave the run exactly as without them (batch norm included)', async () => {
    const run = async (options: { checkpoints?: CheckpointStorage; validation?: ArrayDataset }) => {
      const model = new NormedAutoencoder({ eventShape: [2], seed: 5 });
      const t = new Trainer({
        model,
        modelRef: toyRef('normed-ae'),
        train: blob(),
        config: trainConfigSchema.parse({ steps: 12, batchSize: 8, checkpointEvery: 1, evalEvery: 1 }),
        ...options,
      });
      await t.run();
      const values = Object.fromEntries(
        Object.entries(model.variables()).map(([k, v]) => [k, Array.from(v.dataSync())]),
      );
      model.dispose();
      return values;
    };
    const plain = await run({});
    expect(await run({ checkpoints: checkpointDirectory(join(root, 'probe')) })).toEqual(plain);
    expect(await run({ validation: blob() })).toEqual(plain);
    expect(Object.keys(plain)).toContain('bn/runningMean');
  });
});

describe('time-based checkpoints', () => {
  it('the default config checkpoints every 60 s of training', () => {
    expect(trainConfigSchema.parse({ steps: 1 }).checkpointSeconds).toBe(60);
  });

  it('writes a checkpoint once checkpointSeconds have passed, with no step interval', async () => {
    const steps: number[] = [];
    const t = toyTrainer({ steps: 5, checkpointSeconds: 1e-9 }, join(root, 'time'), [
      { onCheckpoint: (step: number) => void steps.push(step) },
    ]);
    await t.run();
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    t.model.dispose();

    const none: number[] = [];
    const off = toyTrainer({ steps: 5, checkpointSeconds: 0 }, join(root, 'time-off'), [
      { onCheckpoint: (step: number) => void none.push(step) },
    ]);
    await off.run();
    expect(none).toEqual([5]);
    off.model.dispose();
  });
});

describe('resume between log lines', () => {
  it('a checkpoint off the log cadence resumes into the same log lines', async () => {
    const config: TrainConfigInput = { steps: 12, logEvery: 4, checkpointEvery: 3, checkpointSeconds: 0 };
    const trainLines = (entries: HistoryEntry[]) =>
      entries
        .filter((e) => e.kind === 'train')
        .map(({ step, metrics, lr, epoch }) => ({ step, metrics, lr, epoch }));

    const whole: HistoryEntry[] = [];
    const a = toyTrainer(config, join(root, 'whole'), [{ onLog: (e: HistoryEntry) => void whole.push(e) }]);
    await a.run();
    a.model.dispose();

    // Interrupted right after the checkpoint at step 6, two steps into the window of the line at step 8.
    const dir = join(root, 'interrupted');
    const parts: HistoryEntry[] = [];
    const b = toyTrainer(config, dir, [
      { onLog: (e: HistoryEntry) => void parts.push(e) },
      {
        onCheckpoint: (step: number) => {
          if (step === 6) throw new Error('killed');
        },
      },
    ]);
    await expect(b.run()).rejects.toThrow('killed');
    b.model.dispose();
    const resumed = await Trainer.resume(checkpointDirectory(dir), {
      registry: toyRegistry(),
      train: blob(),
      callbacks: [{ onLog: (e: HistoryEntry) => void parts.push(e) }],
    });
    await resumed.run();
    resumed.model.dispose();

    expect(trainLines(parts)).toEqual(trainLines(whole));
    expect(trainLines(whole).map((l) => l.step)).toEqual([4, 8, 12]);
  });
});

describe('resume at the final step', () => {
  it('a run killed after its final checkpoint resumes without logging or evaluating again', async () => {
    const dir = join(root, 'final');
    const log = join(root, 'final.jsonl');
    const evaluate = async () => ({ score: 1 });
    const t = new Trainer({
      model: new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed: 3 }),
      modelRef: toyRef('toy-ae'),
      train: blob(),
      config: trainConfigSchema.parse({ steps: 5, logEvery: 5, batchSize: 8 }),
      checkpoints: checkpointDirectory(dir),
      callbacks: [new JsonlMetricsLogger(log)],
      evaluate,
    });
    await t.run();
    t.model.dispose();
    const logged = readFileSync(log, 'utf8');
    const weights = readFileSync(join(dir, 'weights.bin'));
    expect(
      logged
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).kind),
    ).toEqual(['train', 'eval']);

    const resumed = await Trainer.resume(checkpointDirectory(dir), {
      registry: toyRegistry(),
      train: blob(),
      evaluate,
      callbacks: [new JsonlMetricsLogger(log)],
    });
    const result = await resumed.run();
    resumed.model.dispose();
    expect(result.steps).toBe(5);
    expect(result.evalMetrics).toEqual({ score: 1 });
    expect(readFileSync(log, 'utf8')).toBe(logged);
    expect(readFileSync(join(dir, 'weights.bin')).equals(weights)).toBe(true);
  });
});

/** An MLP autoencoder with a batch-norm layer on its code, so objectives move running statistics. */
class NormedAutoencoder implements GenerativeModel {
  readonly name = 'normed-ae';
  readonly likelihood = { kind: 'none' as const };
  readonly config = {};
  readonly eventShape: readonly number[];
  private readonly params: ParameterStore;
  private readonly encoder: MLP;
  private readonly norm: BatchNorm;
  private readonly decoder: MLP;

  constructor(context: ModelContext) {
    this.eventShape = context.eventShape;
    this.params = new ParameterStore('normed-ae', context.seed);
    this.encoder = new MLP(this.params, 'encoder', [2, 8, 3], 'tanh');
    this.norm = new BatchNorm(this.params, 'bn', 3);
    this.decoder = new MLP(this.params, 'decoder', [3, 8, 2], 'tanh');
  }

  variables(): Record<string, tf.Variable> {
    return this.params.all();
  }

  sample(n: number): tf.Tensor {
    return tf.tidy(() =>
      this.decoder.apply(this.norm.apply(tf.randomNormal([n, 3], 0, 1, 'float32', 1), false)),
    );
  }

  trainingPlan(): TrainingPlan {
    return {
      players: [
        {
          kind: 'gradient',
          name: 'ae',
          variables: () => this.params.trainable(),
          objective: {
            name: 'reconstruction',
            compute: (batch) => {
              const x = batch.x as tf.Tensor2D;
              const code = this.norm.apply(this.encoder.apply(x), true);
              const loss = tf.mean(tf.sum(tf.square(tf.sub(x, this.decoder.apply(code))), 1)) as tf.Scalar;
              return { loss, metrics: {} };
            },
          },
        },
      ],
    };
  }

  dispose(): void {
    this.params.dispose();
  }
}
