/**
 * The Trainer's default evaluation when no `evaluate` function is given: each gradient player's objective
 * (loss and metrics) on held-out batches, without updating anything, averaged over examples.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../contracts/data.js';
import type { GradientPlayer, StepContext } from '../contracts/training.js';
import { deriveSeed } from '../random/seeds.js';

export interface ValidationOptions {
  batchSize: number;
  /** At most this many batches (all when unset). */
  maxBatches?: number;
  seed: number;
  /** 0-based index of the step the evaluation follows (what objectives see as `context.step`). */
  step: number;
  /** Metric name for a player's metric, e.g. `val/loss` or `val/critic/loss`. */
  metricName: (player: string, metric: string) => string;
}

/**
 * Example-weighted means of every gradient player's loss and metrics on `dataset`. Batches are read in
 * order with seeds that do not depend on the step, so successive evaluations see the same data.
 */
export async function validateObjectives(
  players: readonly GradientPlayer[],
  dataset: Dataset,
  options: ValidationOptions,
): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  let examples = 0;
  const batches = Math.ceil(dataset.size / options.batchSize);
  const count = Math.min(batches, options.maxBatches ?? batches);
  for (let b = 0; b < count; b++) {
    const start = b * options.batchSize;
    const size = Math.min(options.batchSize, dataset.size - start);
    const indices = Int32Array.from({ length: size }, (_, i) => start + i);
    const batch = dataset.getBatch(indices, { seed: deriveSeed(options.seed, 'validation', b) });
    try {
      for (const player of players) {
        let call = 0;
        const context: StepContext = {
          step: options.step,
          nextSeed: () => deriveSeed(options.seed, 'validation', b, player.name, call++),
        };
        let names: string[] = [];
        const stacked = tf.tidy(() => {
          const { loss, metrics } = player.objective.compute(batch, context);
          names = ['loss', ...Object.keys(metrics)];
          return tf.stack([tf.reshape(loss, []), ...Object.values(metrics).map((m) => tf.reshape(m, []))]);
        });
        // Read asynchronously: WebGPU in Node cannot read synchronously.
        const values = await stacked.data().finally(() => stacked.dispose());
        names.forEach((name, i) => {
          const key = options.metricName(player.name, name);
          sums[key] = (sums[key] ?? 0) + values[i] * size;
        });
      }
    } finally {
      tf.dispose([batch.x, batch.labels, batch.condition].filter((t): t is tf.Tensor => t !== undefined));
    }
    examples += size;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / examples]));
}
