import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../src/checkpoint/load.js';
import { NonFiniteLossError } from '../src/errors.js';
import { checkpointDirectory } from '../src/node/checkpoint-directory.js';
import { JsonlMetricsLogger } from '../src/node/jsonl-logger.js';
import { ProgressBar } from '../src/node/progress-bar.js';
import type { HistoryEntry, StepProgress } from '../src/training/callbacks.js';
import { type TrainConfigInput, trainConfigSchema } from '../src/training/config.js';
import { formatDuration, formatProgressLine } from '../src/training/progress-line.js';
import { Trainer, type TrainerOptions } from '../src/training/trainer.js';
import {
  ArrayDataset,
  gaussianData,
  ToyAutoencoder,
  toyAeConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-callbacks-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const blob = () => new ArrayDataset('blob', gaussianData(64, [1, -2], 0.5, 7), [2]);

function trainer(train: TrainConfigInput, options: Partial<TrainerOptions> = {}, modelConfig = {}) {
  const model = new ToyAutoencoder(toyAeConfigSchema.parse(modelConfig), { eventShape: [2], seed: 3 });
  return new Trainer({
    model,
    modelRef: toyRef('toy-ae'),
    train: blob(),
    config: trainConfigSchema.parse({ batchSize: 8, ...train }),
    ...options,
  });
}

function readJsonl(path: string): HistoryEntry[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('Trainer callbacks', () => {
  it('calls hooks in order: begin, steps, logs, evaluations, checkpoints, end', async () => {
    const events: string[] = [];
    const t = trainer(
      { steps: 6, logEvery: 2, evalEvery: 3, checkpointEvery: 4 },
      {
        checkpoints: checkpointDirectory(join(root, 'order')),
        evaluate: async () => ({ score: 1 }),
        callbacks: [
          {
            onTrainBegin: (info) => void events.push(`begin ${info.startStep}/${info.totalSteps}`),
            onStepEnd: (step) => void events.push(`step ${step}`),
            onLog: (entry) => void events.push(`log ${entry.kind} ${entry.step}`),
            onEval: (step) => void events.push(`eval ${step}`),
            onCheckpoint: (step) => void events.push(`checkpoint ${step}`),
            onTrainEnd: (result) => void events.push(`end ${result.steps}`),
          },
        ],
      },
    );
    const result = await t.run();
    expect(events).toEqual([
      'begin 0/6',
      'step 1',
      'step 2',
      'log train 2',
      'step 3',
      'eval 3',
      'log eval 3',
      'step 4',
      'log train 4',
      'checkpoint 4',
      'step 5',
      'step 6',
      'log train 6',
      'eval 6',
      'log eval 6',
      'checkpoint 6',
      'end 6',
    ]);
    expect(result.evalMetrics).toEqual({ score: 1 });
    t.model.dispose();
  });

  it('evaluates the objective on validation data when no evaluate function is given', async () => {
    const validation = new ArrayDataset('held-out', gaussianData(20, [1, -2], 0.5, 8), [2]);
    const t = trainer({ steps: 3, evalEvery: 2, evalBatches: 2 }, { validation });
    const result = await t.run();
    const evals = result.history.filter((h) => h.kind === 'eval');
    expect(evals.map((e) => e.step)).toEqual([2, 3]);
    expect(Object.keys(result.evalMetrics).sort()).toEqual(['val/loss', 'val/mse']);
    expect(Number.isFinite(result.evalMetrics['val/loss'])).toBe(true);
    // 2 batches of 8 of the 20 examples are read per evaluation.
    expect(validation.getBatchCalls).toBe(4);
    t.model.dispose();
  });

  it('writes a JSONL metrics log, and appends to it when resuming', async () => {
    const path = join(root, 'log', 'metrics.jsonl');
    const dir = join(root, 'log', 'checkpoint');
    const t = trainer(
      { steps: 5, logEvery: 2 },
      {
        checkpoints: checkpointDirectory(dir),
        evaluate: async () => ({ nll: 2.5 }),
        callbacks: [new JsonlMetricsLogger(path)],
      },
    );
    await t.run();
    t.model.dispose();
    const lines = readJsonl(path);
    expect(lines.map((l) => [l.kind, l.step])).toEqual([
      ['train', 2],
      ['train', 4],
      ['train', 5],
      ['eval', 5],
    ]);
    expect(Object.keys(lines[0]).sort()).toEqual(['epoch', 'kind', 'lr', 'metrics', 'seconds', 'step']);
    expect(lines[0].lr).toEqual({ ae: 1e-3 });
    expect(lines[0].epoch).toBe(0.25);
    expect(lines[3].metrics).toEqual({ nll: 2.5 });

    const resumed = await Trainer.resume(checkpointDirectory(dir), {
      registry: toyRegistry(),
      train: blob(),
      steps: 7,
      callbacks: [new JsonlMetricsLogger(path)],
    });
    await resumed.run();
    resumed.model.dispose();
    expect(readJsonl(path).map((l) => [l.kind, l.step])).toEqual([
      ['train', 2],
      ['train', 4],
      ['train', 5],
      ['eval', 5],
      ['train', 6],
      ['train', 7],
    ]);
    // A fresh run starts a new log.
    const fresh = trainer({ steps: 2, logEvery: 2 }, { callbacks: [new JsonlMetricsLogger(path)] });
    await fresh.run();
    fresh.model.dispose();
    expect(readJsonl(path).map((l) => l.step)).toEqual([2]);
  });

  it('draws a progress bar on request and stays quiet otherwise', async () => {
    const written: string[] = [];
    const stream = { write: (s: string) => written.push(s) };
    const t = trainer(
      { steps: 20 },
      {
        callbacks: [
          new ProgressBar({ force: true, stream, minIntervalMs: 0 }),
          new ProgressBar({
            quiet: true,
            force: true,
            stream: { write: () => expect.fail('quiet bar wrote') },
          }),
        ],
      },
    );
    await t.run();
    t.model.dispose();
    expect(written.length).toBe(21);
    // Each redraw returns the cursor, then clears the rest of the line (ESC [ K).
    expect(written[0].endsWith('\u001b[K')).toBe(true);
    expect(written[0]).toMatch(/^\rstep 1\/20 \[>? *\] 5% · loss \d+\.\d{4} · [\d,]+ ex\/s · ETA \d+:\d\d/);
    expect(written[19]).toMatch(/^\rstep 20\/20 \[=+\] 100% · loss /);
    expect(written[20]).toBe('\n');
  });

  it('formats progress lines and durations', () => {
    const progress: StepProgress = {
      totalSteps: 100,
      epoch: 1,
      seconds: 30,
      examplesPerSecond: 12345.6,
      lr: {},
    };
    expect(
      formatProgressLine(25, 0, { 'critic/loss': 0.5, 'generator/loss': 2, gradNorm: 1 }, progress, 8),
    ).toBe(
      'step 25/100 [=>      ] 25% · critic/loss 0.5000 · generator/loss 2.0000 · 12,346 ex/s · ETA 1:30',
    );
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(59.6)).toBe('1:00');
  });

  it('stops on a non-finite loss, naming player, step and metric, and keeps the last good checkpoint', async () => {
    const dir = join(root, 'nan');
    const errors: unknown[] = [];
    const t = trainer(
      { steps: 10, checkpointEvery: 2 },
      { checkpoints: checkpointDirectory(dir), callbacks: [{ onTrainError: (e) => void errors.push(e) }] },
      { nanFromStep: 4 },
    );
    const failure = t.run();
    await expect(failure).rejects.toThrow(NonFiniteLossError);
    // The loss of step 5 is NaN at the parameters after step 4, so the checkpoint guard's probe of the
    // next batch refuses to write step 4 as a checkpoint: step 2 is the last good one.
    await expect(failure).rejects.toThrow(
      `after step 4, player "ae" gives loss = NaN on the next batch: the parameters have diverged; no checkpoint was written; the checkpoint in ${dir} (step 2) was left as it was`,
    );
    expect(errors).toHaveLength(1);
    expect((await readManifest(checkpointDirectory(dir))).state.step).toBe(2);
    // The model itself was not updated with NaN either.
    for (const v of Object.values(t.model.variables()))
      expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
    t.model.dispose();

    const metric = trainer({ steps: 10 }, {}, { nanFromStep: 2, nanMetric: true });
    const before = tf.memory().numTensors;
    await expect(metric.run()).rejects.toThrow(/player "ae" produced bad = NaN in step 3/);
    // Kept metric tensors and the batch were released despite the error.
    expect(tf.memory().numTensors).toBe(before);
    metric.model.dispose();
  });
});
