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
 * Splits `dataset` into train and validation views. Which examples go where depends only on (seed, size),
 * and each side keeps the original example order.
 */
export function splitValidation(
  dataset: InMemoryDataset,
  validation: ValidationSize,
  seed = 0,
  base = dataset.name.replace(/\/[^/]*$/, ''),
): TrainValidationSplit {
  const size = dataset.size;
  const count = validationCount(size, validation);
  const held = new Uint8Array(size);
  const permutation = new Random(deriveSeed(seed, 'validation-split')).permutation(size);
  for (let i = 0; i < count; i++) held[permutation[i]] = 1;
  const trainIndices = new Int32Array(size - count);
  const validationIndices = new Int32Array(count);
  for (let i = 0, t = 0, v = 0; i < size; i++) {
    if (held[i]) validationIndices[v++] = i;
    else trainIndices[t++] = i;
  }
  return {
    train: dataset.subset(trainIndices, `${base}/train`),
    validation: dataset.subset(validationIndices, `${base}/validation`),
  };
}
