/**
 * Feature sets: what the sample-quality metrics compare. Images are not compared pixel by pixel but
 * through the activations of a classifier's penultimate layer, where distances reflect what the
 * classifier finds meaningful (Salimans et al. 2016; Heusel et al. 2017). A set holds the features of
 * `count` images, row-major [count, dim], one image per row.
 */

import { ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export interface FeatureSet {
  /** Row-major [count, dim]. */
  values: Float32Array;
  count: number;
  dim: number;
}

/**
 * Rows per chunk of a pairwise [rows, n] kernel or distance matrix: 512 × 10,000 float32 is 20 MB, so
 * memory stays bounded however many features are compared.
 */
const ROWS_PER_CHUNK = 512;

/** Calls `use` on consecutive slices of at most ROWS_PER_CHUNK rows of `x`, disposing each afterwards. */
export function forEachRowChunk(x: tf.Tensor2D, use: (rows: tf.Tensor2D) => void): void {
  const count = x.shape[0];
  for (let start = 0; start < count; start += ROWS_PER_CHUNK) {
    const rows = tf.slice(x, [start, 0], [Math.min(ROWS_PER_CHUNK, count - start), -1]);
    try {
      use(rows);
    } finally {
      rows.dispose();
    }
  }
}

/** Throws a ShapeError, naming `what`, unless `f` holds at least two rows of finite features. */
export function checkFeatureSet(what: string, f: FeatureSet): void {
  const { values, count, dim } = f;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new ShapeError(`${what}: dim must be a positive integer, got ${dim}`);
  }
  if (!Number.isInteger(count) || count < 2) {
    throw new ShapeError(`${what}: need at least 2 feature rows, got count ${count}`);
  }
  if (values.length !== count * dim) {
    throw new ShapeError(
      `${what}: ${values.length} values do not fill [count, dim] = [${count}, ${dim}] (expected ${count * dim})`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ShapeError(`${what}: feature ${i % dim} of row ${Math.floor(i / dim)} is ${values[i]}`);
    }
  }
}

/** Checks both sets for `caller`, and that their features have the same dimension. */
export function checkRealAndFake(caller: string, real: FeatureSet, fake: FeatureSet): void {
  checkFeatureSet(`${caller}: real features`, real);
  checkFeatureSet(`${caller}: fake features`, fake);
  if (real.dim !== fake.dim) {
    throw new ShapeError(`${caller}: real features have dimension ${real.dim} but fake ones ${fake.dim}`);
  }
}
