/**
 * The order of one epoch and the seed of each batch, as pure functions of (seed, epoch, batch index): a run
 * resumed at (epoch, startBatch) sees exactly the batches, and the transform noise, of an uninterrupted one.
 */
import type { BatchOptions } from '@genzoo/core';
import { deriveSeed, Random } from '@genzoo/core';

/** Example order of `epoch`: a permutation seeded by (seed, epoch) when shuffling, else 0..size-1. */
export function epochOrder(size: number, shuffle: boolean, seed: number, epoch: number): Int32Array {
  if (shuffle) return new Random(deriveSeed(seed, 'shuffle', epoch)).permutation(size);
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  return order;
}

/** The seed for the per-batch randomness (dynamic binarization, dequantization) of one batch. */
export function batchSeed(seed: number, epoch: number, batch: number): number {
  return deriveSeed(seed, 'batch', epoch, batch);
}

/** Number of batches in one epoch of `size` examples. */
export function countBatches(size: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/** Checks the batch options and fills the defaults. */
export function resolveBatchOptions(size: number, options: BatchOptions): Required<BatchOptions> {
  const { batchSize, shuffle = false, seed = 0, epoch = 0, dropLast = false, startBatch = 0 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  }
  const total = countBatches(size, batchSize, dropLast);
  if (!Number.isInteger(startBatch) || startBatch < 0 || startBatch > total) {
    throw new RangeError(
      `startBatch must be an integer in [0, ${total}] (batches in this epoch), got ${startBatch}`,
    );
  }
  return { batchSize, shuffle, seed, epoch, dropLast, startBatch };
}
