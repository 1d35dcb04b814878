/**
 * The Trainer's endless, seeded stream of training batches.
 *
 * Epoch e visits the examples in the order of a permutation drawn from deriveSeed(seed, 'epoch', e), in
 * batches of `batchSize` (a last, smaller batch is dropped so every batch has the same shape). Batch k of
 * the run (counted over all epochs) is read with transform seed deriveSeed(seed, 'batch', k), which
 * drives per-batch randomness such as dynamic binarization. The position (epoch, batch in epoch, k) is
 * all a checkpoint needs to continue the stream exactly.
 */

import type { Dataset } from '../contracts/data.js';
import type { Batch } from '../contracts/training.js';
import { ConfigError } from '../errors.js';
import { deriveSeed, Random } from '../random/seeds.js';

export interface StreamPosition {
  epoch: number;
  batchInEpoch: number;
  /** Batches consumed since the start of training. */
  batchIndex: number;
}

export class BatchStream {
  readonly batchesPerEpoch: number;
  private position: StreamPosition;
  private permutation: { epoch: number; order: Int32Array } | undefined;

  constructor(
    private readonly dataset: Dataset,
    readonly batchSize: number,
    private readonly seed: number,
    start: StreamPosition = { epoch: 0, batchInEpoch: 0, batchIndex: 0 },
  ) {
    this.batchesPerEpoch = Math.floor(dataset.size / batchSize);
    if (this.batchesPerEpoch === 0) {
      throw new ConfigError(
        `batchSize ${batchSize} is larger than the training set "${dataset.name}" (${dataset.size} examples)`,
      );
    }
    if (start.batchInEpoch >= this.batchesPerEpoch) {
      throw new ConfigError(
        `cannot resume at batch ${start.batchInEpoch} of an epoch of ${this.batchesPerEpoch} batches`,
      );
    }
    this.position = { ...start };
  }

  /** Where the next batch comes from. */
  get current(): StreamPosition {
    return { ...this.position };
  }

  /** Fractional epochs consumed. */
  get epochs(): number {
    return this.position.batchIndex / this.batchesPerEpoch;
  }

  /** The next batch (the caller disposes it), advancing the stream. */
  next(): Batch {
    const batch = this.peek();
    const p = this.position;
    p.batchIndex++;
    p.batchInEpoch++;
    if (p.batchInEpoch === this.batchesPerEpoch) {
      p.epoch++;
      p.batchInEpoch = 0;
    }
    return batch;
  }

  /** The batch `next()` would return, without advancing (for data-dependent initialization). */
  peek(): Batch {
    const { epoch, batchInEpoch, batchIndex } = this.position;
    const order = this.order(epoch);
    const start = batchInEpoch * this.batchSize;
    const indices = order.subarray(start, start + this.batchSize);
    return this.dataset.getBatch(indices, { seed: deriveSeed(this.seed, 'batch', batchIndex) });
  }

  private order(epoch: number): Int32Array {
    if (this.permutation?.epoch !== epoch) {
      const order = new Random(deriveSeed(this.seed, 'epoch', epoch)).permutation(this.dataset.size);
      this.permutation = { epoch, order };
    }
    return this.permutation.order;
  }
}
