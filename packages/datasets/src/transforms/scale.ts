/**
 * Affine rescaling of continuous data from its range [a, b] to [lo, hi]: y = lo + (x − a)·(hi − lo)/(b − a).
 * [0, 1] suits Bernoulli/logistic decoders and flows on dequantized pixels; [−1, 1] suits tanh generators
 * (DCGAN). As a fixed transform it folds into the store's decode map and costs nothing per batch.
 */

import { DataError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from './transform.js';

export function scaleTo(range: readonly [number, number]): Transform {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`scaleTo: the target range must be finite with lo < hi, got [${lo}, ${hi}]`);
  }
  const description = `scale[${lo}, ${hi}]`;
  return {
    description,
    bind(input) {
      if (input.kind === 'binary') {
        throw new DataError(
          `${description}: the data is binary {0, 1}; rescaling applies to continuous data`,
        );
      }
      const [a, b] = input.range;
      if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) {
        throw new DataError(`${description}: the data's range [${a}, ${b}] is unbounded; cannot rescale it`);
      }
      const factor = (hi - lo) / (b - a);
      const shift = lo - a * factor;
      return {
        description,
        values: { ...input, range: [lo, hi] },
        fixed: (store, rows) => ({
          store: { ...store, scale: store.scale * factor, offset: store.offset * factor + shift },
          rows,
        }),
        perBatch: (x) => tf.add(tf.mul(x, factor), shift),
      };
    },
  };
}
