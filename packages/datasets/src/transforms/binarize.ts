/**
 * Stochastic binarization of grey-level images: each pixel with intensity p ∈ [0, 1] becomes
 * x ~ Bernoulli(p) (Salakhutdinov & Murray, "On the quantitative analysis of deep belief networks", 2008).
 *
 * - Static: drawn once, with a given seed, and fixed from then on. Test-set likelihoods are only
 *   comparable between models evaluated on the same binarization, so the draw is a pure function of
 *   (seed, example): a subset or a split of the data gets exactly the pixels the full set has.
 * - Dynamic: a fresh draw for every batch, driven by the batch seed, as in most VAE papers since
 *   Burda et al. (2016); it acts as a regularizer and, in expectation, trains on the grey levels.
 */

import { DataError, type DataValues, deriveSeed, Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ExampleStore, isRowSource, type RowSource, rawRows, storeRows } from '../dataset/store.js';
import type { Transform } from './transform.js';

function checkIntensities(description: string, input: DataValues): void {
  const ok =
    input.kind === 'continuous' && input.range[0] === 0 && input.range[1] === 1 && !input.dequantized;
  if (!ok) {
    const got =
      input.kind === 'binary'
        ? 'binary data'
        : `[${input.range[0]}, ${input.range[1]}]${input.dequantized ? ' dequantized' : ''} data`;
    throw new DataError(`${description}: needs intensities in [0, 1] (not dequantized), got ${got}`);
  }
}

/** x ~ Bernoulli(p) drawn once: example r's pixels come from a generator seeded by (seed, r). */
export function staticBinarization(seed: number): Transform {
  const description = `binarize(static, seed=${seed})`;
  return {
    description,
    bind(input) {
      checkIntensities(description, input);
      return {
        description,
        values: { kind: 'binary' },
        fixed(store: ExampleStore, rows: Int32Array | null) {
          const { rowSize } = store;
          // Rows read on demand stay on demand: each row is binarized as it is read, with the same draws.
          if (isRowSource(store.data)) {
            return { store: { data: binarizedRows(store, seed), rowSize, scale: 1, offset: 0 }, rows };
          }
          const count = rows ? rows.length : storeRows(store);
          const out = new Uint8Array(count * rowSize);
          binarizeInto(store, seed, rows ?? identityRows(count), out);
          // The binarized copy holds only the dataset's rows, in order.
          return { store: { data: out, rowSize, scale: 1, offset: 0 }, rows: null };
        },
      };
    },
  };
}

function identityRows(count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

/** Row i of `out` is store row rows[i] binarized with a generator seeded by (seed, rows[i]). */
function binarizeInto(store: ExampleStore, seed: number, rows: ArrayLike<number>, out: Uint8Array): void {
  const { rowSize, scale, offset } = store;
  const { raw, start } = rawRows(store, rows);
  for (let i = 0; i < rows.length; i++) {
    const random = new Random(deriveSeed(seed, rows[i]));
    const from = start(i);
    for (let j = 0; j < rowSize; j++) {
      const p = scale * raw[from + j] + offset;
      out[i * rowSize + j] = random.next() < p ? 1 : 0;
    }
  }
}

function binarizedRows(store: ExampleStore, seed: number): RowSource {
  return {
    rows: storeRows(store),
    dtype: 'uint8',
    read(rows, out) {
      binarizeInto(store, seed, rows, out as Uint8Array);
    },
  };
}

/** x ~ Bernoulli(p) drawn afresh for every batch from the batch seed. */
export function dynamicBinarization(): Transform {
  const description = 'binarize(dynamic)';
  return {
    description,
    bind(input) {
      checkIntensities(description, input);
      return {
        description,
        values: { kind: 'binary' },
        perBatch: (x, seed) =>
          tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', seed), x), 'float32'),
      };
    },
  };
}
