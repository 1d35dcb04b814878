/**
 * The dataset contract the Trainer and the evaluation code consume. `@genzoo/datasets` implements it for
 * MNIST, Fashion-MNIST, CIFAR-10 and the 2-D toy sets; plugins and users can implement it for anything.
 */
import type { Batch } from './training.js';

export interface BatchOptions {
  batchSize: number;
  /** Shuffle with a permutation seeded by (seed, epoch). */
  shuffle?: boolean;
  seed?: number;
  /** Which epoch's permutation to use (so a resumed run continues with the same order). */
  epoch?: number;
  /** Drop a last, smaller batch. */
  dropLast?: boolean;
  /** Start at this batch index within the epoch (resume mid-epoch). */
  startBatch?: number;
}

export interface Dataset {
  /** e.g. `fashion-mnist/train` */
  readonly name: string;
  /** Shape of one example, e.g. [28, 28, 1]. */
  readonly eventShape: readonly number[];
  readonly dtype: 'float32';
  /** Number of examples. */
  readonly size: number;
  /** Number of classes when labels are present. */
  readonly numClasses?: number;
  /**
   * Describes the values, so metrics can be stated correctly: e.g. `{ kind: 'binary' }`,
   * `{ kind: 'continuous', range: [0, 1], dequantized: true, levels: 256 }`.
   */
  readonly values: DataValues;
  /**
   * The examples at `indices` as one batch. `seed` drives per-batch randomness of transforms (dynamic
   * binarization, dequantization noise); the same indices and seed give the same batch. The caller owns
   * (and disposes) the returned tensors.
   */
  getBatch(indices: ArrayLike<number>, options?: { seed?: number }): Batch;
  /** Batches over one epoch. Each yielded batch is owned by the caller. */
  batches(options: BatchOptions): Generator<Batch>;
}

export type DataValues =
  | { kind: 'binary' }
  | {
      kind: 'continuous';
      range: [number, number];
      /** For 8-bit data: the number of levels (256) and whether uniform dequantization noise is added. */
      levels?: number;
      dequantized?: boolean;
    };

export interface DataSplits {
  train: Dataset;
  test: Dataset;
  validation?: Dataset;
}
