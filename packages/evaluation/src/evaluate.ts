/**
 * Held-out likelihood evaluation of any `GenerativeModel`, by what its likelihood capability offers:
 *
 * - `exact`: nll_nats = mean −log p(x), and bits_per_dim.
 * - `lowerBound`: elbo = mean ELBO(x); nll_nats from the importance-sampled estimate of log p(x) with
 *   `samples` samples (a tighter bound that converges to log p(x) as K grows), and bits_per_dim.
 * - `none`: no likelihood metrics (sample-quality metrics are computed elsewhere).
 *
 * A model with `evaluationMetrics(batch)` (e.g. a VQ-VAE's `recon_mse`) also gets each of its metrics as
 * the mean over the evaluated examples (per-batch means weighted by batch size), whatever its likelihood.
 *
 * All values are stated for the data as `data.values` describes it: for dequantized 8-bit data they
 * include the discretization offset D·log 256 (see `units.ts`), so they are (bounds on) discrete
 * log-likelihoods of the original bytes, comparable with the literature.
 */

import type { Batch, Dataset, GradientWorkerPool, HostBatch } from '@genzoo/core';
import {
  assertShape,
  ConfigError,
  DataError,
  dequantizationOffset,
  deriveSeed,
  eventSize,
  type GenerativeModel,
  hostBatchBuffers,
  isConditionalModel,
  likelihoodMetrics,
  toHostBatch,
} from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';

export interface EvaluateOptions {
  /** Evaluate on the first `limit` examples (default: all). */
  limit?: number;
  /** Examples per batch (default 128). */
  batchSize?: number;
  /** Importance samples per example for lowerBound models (default 1000). */
  samples?: number;
  /** Seeds the data transforms (dequantization noise) and the models' sampling (default 0). */
  seed?: number;
  /** Called after each batch with the number of examples done and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Gradient workers started on this model (a data-parallel run's, or `startWorkers`'): batches are
   * shared out between them and this thread. Every batch has its own seeds, so the metrics are the
   * same as without workers.
   */
  workers?: GradientWorkerPool;
}

/** What one batch contributes: its per-example log p(x), its ELBO sum and its own metrics' means. */
export interface BatchEvaluation {
  logProbs?: Float32Array;
  elboSum: number;
  own: Record<string, number>;
}

/** How every batch is evaluated: the same on this thread and on a worker. */
export interface BatchSettings {
  /** The batch's index, which seeds its sampling. */
  index: number;
  samples: number;
  seed: number;
}

export async function evaluateModel(
  model: GenerativeModel,
  data: Dataset,
  options: EvaluateOptions = {},
): Promise<Record<string, number>> {
  const { likelihood } = model;
  if (likelihood.kind === 'none' && !model.evaluationMetrics) return {};
  if (options.limit !== undefined) positiveInteger('limit', options.limit);
  const total = Math.min(options.limit ?? data.size, data.size);
  if (total === 0) throw new DataError(`cannot evaluate on ${data.name}: the dataset is empty`);
  const batchSize = options.batchSize ?? 128;
  const samples = options.samples ?? 1000;
  const seed = options.seed ?? 0;
  positiveInteger('batchSize', batchSize);
  positiveInteger('samples', samples);

  const logProbs = new Float64Array(total);
  let elboSum = 0;
  const ownSums: Record<string, number> = {};
  let done = 0;
  const collect = (start: number, size: number, result: BatchEvaluation) => {
    if (result.logProbs) logProbs.set(result.logProbs, start);
    elboSum += result.elboSum;
    for (const [name, value] of Object.entries(result.own))
      ownSums[name] = (ownSums[name] ?? 0) + value * size;
    done += size;
    options.onProgress?.(done, total);
  };
  const { workers } = options;
  // Batch b goes to thread b mod (workers + 1); this thread (0) evaluates its share while the workers do theirs.
  const threads = (workers?.threads ?? 0) + 1;
  if (workers) await workers.publish(model.variables());
  const pending: Array<Promise<void>> = [];
  for (let start = 0, b = 0; start < total; start += batchSize, b++) {
    const end = Math.min(start + batchSize, total);
    const indices = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const batch = data.getBatch(indices, { seed: deriveSeed(seed, 'evaluate/data', b) });
    const settings: BatchSettings = { index: b, samples, seed };
    const thread = b % threads;
    if (workers && thread > 0) {
      let host: HostBatch;
      try {
        host = await toHostBatch(batch);
      } finally {
        disposeBatch(batch);
      }
      const input: EvaluateTaskInput = { settings, batch: host };
      const transfer = hostBatchBuffers(host);
      pending.push(
        workers
          .task(thread - 1, { module: TASK_MODULE, name: 'evaluateBatchTask', input }, transfer)
          .then((output) => collect(start, end - start, output as BatchEvaluation)),
      );
      continue;
    }
    try {
      collect(start, end - start, await evaluateBatch(model, batch, settings));
    } finally {
      disposeBatch(batch);
    }
  }
  await Promise.all(pending);

  const metrics: Record<string, number> = {};
  for (const [name, sum] of Object.entries(ownSums)) metrics[name] = sum / total;
  if (likelihood.kind === 'none') return metrics;
  if (likelihood.kind === 'lowerBound') {
    metrics.elbo = elboSum / total - dequantizationOffset(data.values, eventSize(data.eventShape));
  }
  return { ...metrics, ...likelihoodMetrics(logProbs, data.eventShape, data.values) };
}

/** The module a worker imports to evaluate a batch: this package's `evaluate-task` entry, beside this file in dist. */
const TASK_MODULE = new URL('./evaluate-task.js', import.meta.url).href;

/** One batch's likelihood and own metrics (disposes nothing of `batch`). */
export async function evaluateBatch(
  model: GenerativeModel,
  batch: Batch,
  { index, samples, seed }: BatchSettings,
): Promise<BatchEvaluation> {
  const { likelihood } = model;
  const n = batch.x.shape[0];
  const condition = isConditionalModel(model) ? { condition: batch.condition } : {};
  const own = model.evaluationMetrics ? await takeScalars(model.evaluationMetrics(batch), model.name) : {};
  if (likelihood.kind === 'none') return { elboSum: 0, own };
  if (likelihood.kind === 'exact') {
    const logProbs = await takePerExample(
      likelihood.logProb(batch.x, condition),
      `${model.name} per-example log p(x)`,
      n,
    );
    return { logProbs, elboSum: 0, own };
  }
  const elbo = likelihood.lowerBound(batch.x, {
    ...condition,
    seed: deriveSeed(seed, 'evaluate/elbo', index),
  });
  const elboSum = sumOf(await takePerExample(elbo, `${model.name} per-example ELBO`, n));
  const logProbs = await takePerExample(
    likelihood.importanceSampledLogProb(batch.x, {
      ...condition,
      samples,
      seed: deriveSeed(seed, 'evaluate/importance', index),
    }),
    `${model.name} per-example log p(x)`,
    n,
  );
  return { logProbs, elboSum, own };
}

export interface EvaluateTaskInput {
  settings: BatchSettings;
  batch: HostBatch;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`evaluation ${name} must be a positive integer, got ${value}`);
  }
}

/** Checks that `t` is [n], downloads it, and disposes it. */
async function takePerExample(t: tf.Tensor, what: string, n: number): Promise<Float32Array> {
  try {
    assertShape(what, t.shape, [n]);
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** Checks that every metric is a scalar, downloads them, and disposes them all. */
async function takeScalars(
  metrics: Record<string, tf.Tensor>,
  model: string,
): Promise<Record<string, number>> {
  try {
    const values: Record<string, number> = {};
    for (const [name, t] of Object.entries(metrics)) {
      assertShape(`${model} metric ${name}`, t.shape, []);
      values[name] = (await t.data())[0];
    }
    return values;
  } finally {
    for (const t of Object.values(metrics)) t.dispose();
  }
}

function sumOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.labels?.dispose();
  batch.condition?.dispose();
}
