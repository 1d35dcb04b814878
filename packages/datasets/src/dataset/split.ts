/**
 * Train/validation split: a seeded random subset of the training examples is held out for model
 * selection and early stopping, so the test set is only touched for the final numbers.
 */
import { ConfigError, deriveSeed, Random } from '@genzoo/core';
import type { InMemoryDataset } from './in-memory.js';

/** Hold out a fraction in (0, 1) of the examples, or an exact count. */
export type ValidationSize = { fraction: number } | { count: number };

export interface TrainValidationSplit {
  train: InMemoryDataset;
  validation: InMemoryDataset;
}

export function validationCount(size: number, validation: ValidationSize): number {
  const count = 'count' in validation ? validation.count : Math.round(size * validation.fraction);
  if (!Number.isInteger(count) || count < 1 || count > size - 1) {
    throw new ConfigError(
      `validation split ${JSON.stringify(validation)} of ${size} examples gives ${count} validation examples; ` +
        `it must leave at least one example on each side`,
    );
  }
  return count;
}

/**
 * Indices 0…count−1 split in two, order kept: `size` of them (a count or a fraction) held out, chosen by a
 * permutation seeded with `seed`, and the rest kept.
 */
export function holdOut(
  count: number,
  size: ValidationSize,
  seed: number,
): { kept: Int32Array; held: Int32Array } {
  const n = validationCount(count, size);
  const isHeld = new Uint8Array(count);
  const permutation = new Random(seed).permutation(count);
  for (let i = 0; i < n; i++) isHeld[permutation[i]] = 1;
  const kept = new Int32Array(count - n);
  const held = new Int32Array(n);
  for (let i = 0, k = 0, h = 0; i < count; i++) {
    if (isHeld[i]) held[h++] = i;
    else kept[k++] = i;
  }
  return { kept, held };
}

/**
 * Splits `dataset` into train and validation views. Which examples go where depends only on (seed, size),
 * and each side keeps the original example order.
 */
export function splitValidation(
  dataset: InMemoryDataset,
  validation: ValidationSize,
  seed = 0,
  base = dataset.name.replace(/\/[^/]*$/, ''),
): TrainValidationSplit {
  const { kept, held } = holdOut(dataset.size, validation, deriveSeed(seed, 'validation-split'));
  return {
    train: dataset.subset(kept, `${base}/train`),
    validation: dataset.subset(held, `${base}/validation`),
  };
}
