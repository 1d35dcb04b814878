/**
 * A dataset held in host memory: examples (float32, or bytes for 8-bit images), optional integer labels,
 * and a pipeline of transforms. Subsets, splits and transformed variants are cheap views that share the
 * stored examples; tensors exist only for the batches a caller asks for, and the caller disposes them.
 *
 * The examples may also be a `RowSource` that reads the rows of each batch on demand (from disk, for data
 * larger than memory): the labels, the order, the splits and the transforms are the same, so a streamed
 * dataset yields exactly the batches of the in-memory one.
 */

import {
  type Batch,
  type BatchOptions,
  DataError,
  type Dataset,
  type DataValues,
  deriveSeed,
  ShapeError,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from '../transforms/transform.js';
import { batchSeed, countBatches, epochOrder, resolveBatchOptions } from './epoch.js';
import { byteStore, type ExampleStore, gatherRows, isRowSource, type RowSource, storeRows } from './store.js';

export interface InMemoryDatasetInit {
  /** e.g. `fashion-mnist/train`. */
  name: string;
  /** Shape of one example, e.g. [28, 28, 1]. */
  eventShape: readonly number[];
  /**
   * Examples, row-major [size, ...eventShape]. A Uint8Array holds 8-bit pixels and is read as byte/255,
   * described as 256-level data in [0, 1]. A `RowSource` reads rows on demand (its dtype says which).
   */
  examples: Float32Array | Uint8Array | RowSource;
  /** Class labels in [0, numClasses), one per example. */
  labels?: Int32Array | Uint8Array;
  /** Required with labels. */
  numClasses?: number;
  /** What the values are; defaults to 256 levels in [0, 1] for bytes and the observed range for floats. */
  values?: DataValues;
  /** Names of the classes, by label (e.g. the sub-folder names of an image folder). */
  classNames?: readonly string[];
}

/** A JSON-serializable account of a dataset: what it holds and which transforms made it. */
export interface DatasetDescription {
  name: string;
  size: number;
  eventShape: number[];
  numClasses?: number;
  values: DataValues;
  transforms: string[];
  classNames?: string[];
}

interface Parts {
  name: string;
  eventShape: readonly number[];
  store: ExampleStore;
  /** Store row of each example, or null for all store rows in order. */
  rows: Int32Array | null;
  /** Labels by store row. */
  labels: Int32Array | null;
  numClasses: number | undefined;
  classNames: readonly string[] | undefined;
  values: DataValues;
  perBatch: readonly PerBatchStep[];
  transforms: readonly string[];
}

interface PerBatchStep {
  description: string;
  apply(x: tf.Tensor, seed: number): tf.Tensor;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function observedRange(data: Float32Array | RowSource, rowSize: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const scan = (chunk: Float32Array, base: number) => {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      if (!Number.isFinite(v))
        throw new DataError(`example value ${v} at flat index ${base + i} is not finite`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  };
  if (!isRowSource(data)) {
    scan(data, 0);
    return [lo, hi];
  }
  // Rows read on demand are scanned a chunk at a time.
  const chunkRows = Math.max(1, Math.floor(1_048_576 / rowSize));
  for (let first = 0; first < data.rows; first += chunkRows) {
    const count = Math.min(chunkRows, data.rows - first);
    const rows = Int32Array.from({ length: count }, (_, i) => first + i);
    const chunk = new Float32Array(count * rowSize);
    data.read(rows, chunk);
    scan(chunk, first * rowSize);
  }
  return [lo, hi];
}

export class InMemoryDataset implements Dataset {
  readonly name: string;
  readonly eventShape: readonly number[];
  readonly dtype = 'float32' as const;
  readonly numClasses?: number;
  readonly values: DataValues;
  /** Names of the classes by label, when the data has them (user image folders). */
  readonly classNames?: readonly string[];
  private readonly parts: Parts;

  private constructor(parts: Parts) {
    this.parts = parts;
    this.name = parts.name;
    this.eventShape = Object.freeze([...parts.eventShape]);
    this.values = parts.values;
    if (parts.numClasses !== undefined) this.numClasses = parts.numClasses;
    if (parts.classNames !== undefined) this.classNames = parts.classNames;
  }

  /** Checks the arrays against each other and wraps them (without copying). */
  static fromArrays(init: InMemoryDatasetInit): InMemoryDataset {
    const { name, eventShape, examples, labels, numClasses } = init;
    if (eventShape.length === 0 || !eventShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ShapeError(`${name}: eventShape must be positive integers, got [${eventShape.join(', ')}]`);
    }
    const rowSize = product(eventShape);
    const lazy = isRowSource(examples);
    if (
      lazy
        ? !(Number.isInteger(examples.rows) && examples.rows > 0)
        : examples.length === 0 || examples.length % rowSize !== 0
    ) {
      throw new ShapeError(
        lazy
          ? `${name}: a row source needs a positive number of rows, got ${examples.rows}`
          : `${name}: ${examples.length} values do not make whole examples of shape [${eventShape.join(', ')}] (${rowSize} values each)`,
      );
    }
    const size = lazy ? examples.rows : examples.length / rowSize;
    let labelArray: Int32Array | null = null;
    if (labels) {
      if (numClasses === undefined || !Number.isInteger(numClasses) || numClasses < 1) {
        throw new DataError(`${name}: labels need numClasses (a positive integer), got ${numClasses}`);
      }
      if (labels.length !== size) {
        throw new ShapeError(`${name}: ${labels.length} labels for ${size} examples`);
      }
      labelArray = labels instanceof Int32Array ? labels : Int32Array.from(labels);
      for (let i = 0; i < size; i++) {
        const label = labelArray[i];
        if (!(label >= 0 && label < numClasses)) {
          throw new DataError(`${name}: label ${label} of example ${i} is outside [0, ${numClasses})`);
        }
      }
    }
    if (init.classNames !== undefined && init.classNames.length !== numClasses) {
      throw new DataError(`${name}: ${init.classNames.length} class names for ${numClasses} classes`);
    }
    const bytes = lazy ? examples.dtype === 'uint8' : examples instanceof Uint8Array;
    const store: ExampleStore = bytes
      ? byteStore(examples as Uint8Array | RowSource, rowSize)
      : { data: examples, rowSize, scale: 1, offset: 0 };
    const values: DataValues =
      init.values ??
      (bytes
        ? { kind: 'continuous', range: [0, 1], levels: 256 }
        : { kind: 'continuous', range: observedRange(examples as Float32Array | RowSource, rowSize) });
    return new InMemoryDataset({
      name,
      eventShape,
      store,
      rows: null,
      labels: labelArray,
      numClasses: labels ? numClasses : undefined,
      classNames: labels && init.classNames ? Object.freeze([...init.classNames]) : undefined,
      values,
      perBatch: [],
      transforms: [],
    });
  }

  get size(): number {
    return this.parts.rows ? this.parts.rows.length : storeRows(this.parts.store);
  }

  /** Number of batches one epoch yields with these options. */
  numBatches(options: { batchSize: number; dropLast?: boolean }): number {
    return countBatches(this.size, options.batchSize, options.dropLast);
  }

  getBatch(indices: ArrayLike<number>, options: { seed?: number } = {}): Batch {
    const { store, labels, numClasses, perBatch, eventShape } = this.parts;
    const n = indices.length;
    if (n === 0) throw new RangeError(`${this.name}: getBatch needs at least one index`);
    const rows = this.storeRowsOf(indices);
    const pixels = new Float32Array(n * store.rowSize);
    gatherRows(store, rows, pixels);
    const seed = options.seed ?? 0;
    const x = tf.tidy(() => {
      let t = tf.tensor(pixels, [n, ...eventShape], 'float32');
      perBatch.forEach((step, k) => {
        t = step.apply(t, deriveSeed(seed, 'transform', k));
      });
      return t;
    });
    if (!labels || numClasses === undefined) return { x };
    const batchLabels = new Int32Array(n);
    const oneHot = new Float32Array(n * numClasses);
    for (let i = 0; i < n; i++) {
      batchLabels[i] = labels[rows[i]];
      oneHot[i * numClasses + batchLabels[i]] = 1;
    }
    return {
      x,
      labels: tf.tensor1d(batchLabels, 'int32'),
      condition: tf.tensor2d(oneHot, [n, numClasses], 'float32'),
    };
  }

  *batches(options: BatchOptions): Generator<Batch> {
    const { batchSize, shuffle, seed, epoch, dropLast, startBatch } = resolveBatchOptions(this.size, options);
    const order = epochOrder(this.size, shuffle, seed, epoch);
    const total = countBatches(this.size, batchSize, dropLast);
    for (let b = startBatch; b < total; b++) {
      const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, this.size));
      yield this.getBatch(indices, { seed: batchSeed(seed, epoch, b) });
    }
  }

  /** The examples at `indices` (in that order) as a new dataset sharing this one's storage. */
  subset(indices: ArrayLike<number>, name = this.name): InMemoryDataset {
    return new InMemoryDataset({ ...this.parts, name, rows: this.storeRowsOf(indices) });
  }

  /** The first `count` examples. */
  take(count: number, name = this.name): InMemoryDataset {
    if (!Number.isInteger(count) || count < 1 || count > this.size) {
      throw new RangeError(`${this.name}: take(${count}) needs an integer in [1, ${this.size}]`);
    }
    const indices = new Int32Array(count);
    for (let i = 0; i < count; i++) indices[i] = i;
    return this.subset(indices, name);
  }

  /** This dataset with `transforms` appended to its pipeline (see Transform for fixed vs per batch). */
  withTransforms(...transforms: Transform[]): InMemoryDataset {
    let { store, rows, labels, values } = this.parts;
    const perBatch = [...this.parts.perBatch];
    for (const transform of transforms) {
      const bound = transform.bind(values);
      if (perBatch.length === 0 && bound.fixed) {
        const result = bound.fixed(store, rows);
        // A compacting transform keeps only this dataset's rows; carry the labels along.
        const before = labels;
        if (before && rows && result.rows === null) labels = Int32Array.from(rows, (r) => before[r]);
        store = result.store;
        rows = result.rows;
      } else if (bound.perBatch) {
        perBatch.push({ description: bound.description, apply: bound.perBatch });
      } else {
        throw new DataError(
          `${this.name}: ${bound.description} is applied once to the stored examples, so it must come before ` +
            `the per-batch transform(s) ${perBatch.map((t) => t.description).join(', ')}`,
        );
      }
      values = bound.values;
    }
    return new InMemoryDataset({
      ...this.parts,
      store,
      rows,
      labels,
      values,
      perBatch,
      transforms: [...this.parts.transforms, ...transforms.map((t) => t.description)],
    });
  }

  /** The same examples with another event shape of equal size, e.g. [784] for [28, 28, 1]. */
  reshape(eventShape: readonly number[]): InMemoryDataset {
    if (
      product(eventShape) !== this.parts.store.rowSize ||
      !eventShape.every((d) => Number.isInteger(d) && d > 0)
    ) {
      throw new ShapeError(
        `${this.name}: cannot reshape examples of [${this.eventShape.join(', ')}] to [${eventShape.join(', ')}]`,
      );
    }
    return new InMemoryDataset({ ...this.parts, eventShape });
  }

  /** The same data under another name. */
  rename(name: string): InMemoryDataset {
    return new InMemoryDataset({ ...this.parts, name });
  }

  /** The label of every example, in dataset order (undefined without labels). */
  labelArray(): Int32Array | undefined {
    const { labels, rows } = this.parts;
    if (!labels) return undefined;
    return rows ? Int32Array.from(rows, (r) => labels[r]) : labels.slice();
  }

  describe(): DatasetDescription {
    return {
      name: this.name,
      size: this.size,
      eventShape: [...this.eventShape],
      ...(this.numClasses !== undefined ? { numClasses: this.numClasses } : {}),
      values: this.values,
      transforms: [...this.parts.transforms],
      ...(this.classNames !== undefined ? { classNames: [...this.classNames] } : {}),
    };
  }

  private storeRowsOf(indices: ArrayLike<number>): Int32Array {
    const size = this.size;
    const { rows } = this.parts;
    const out = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (!(Number.isInteger(index) && index >= 0 && index < size)) {
        throw new RangeError(`${this.name}: index ${index} is outside [0, ${size})`);
      }
      out[i] = rows ? rows[index] : index;
    }
    return out;
  }
}
