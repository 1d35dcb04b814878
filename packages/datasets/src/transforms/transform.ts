/**
 * A transform changes the examples of a dataset and says how it changes their `values` description, so
 * metrics stay correct (bits/dim needs to know about 256 levels and dequantization; a Bernoulli decoder
 * needs binary data).
 *
 * A transform acts either once, on the stored examples (`fixed`: rescaling, static binarization), or on
 * every batch with that batch's seed (`perBatch`: dynamic binarization, dequantization noise). A dataset
 * applies the fixed forms while no per-batch transform precedes them and the per-batch forms after that,
 * so `[dequantize, scale]` works (scale runs per batch, after the noise) and `[dynamic binarization,
 * static binarization]` is refused.
 */

import type { DataValues } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ExampleStore } from '../dataset/store.js';

export interface FixedResult {
  store: ExampleStore;
  /** The rows of the new store the dataset uses, or null for all of them in order. */
  rows: Int32Array | null;
}

export interface Transform {
  /** Short description used in dataset descriptions, e.g. `binarize(static, seed=0)`. */
  readonly description: string;
  /** Prepares the transform for data described by `input`; throws a DataError when it cannot apply. */
  bind(input: DataValues): BoundTransform;
}

/** A transform bound to the values it receives. */
export interface BoundTransform {
  readonly description: string;
  /** The values after the transform. */
  readonly values: DataValues;
  /**
   * Applies the transform once to the examples at store rows `rows` (null: every row). `rows` are also
   * the examples' identities: seeded draws use them, so a subset gets the same draws as the full set.
   */
  fixed?(store: ExampleStore, rows: Int32Array | null): FixedResult;
  /** Applies the transform to one batch (inside a tf.tidy); the same x and seed give the same result. */
  perBatch?(x: tf.Tensor, seed: number): tf.Tensor;
}
