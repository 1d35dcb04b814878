/**
 * A batch as plain typed arrays, to post to a worker (the arrays are the batch's own copies, so they
 * can be transferred), and back to tensors on the other side. Shared by data-parallel training and the
 * tasks other packages run on the workers (sharded evaluation).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../contracts/training.js';
import type { HostBatch } from './protocol.js';

/** The batch's values, copied (read asynchronously: WebGPU in Node has no synchronous read). */
export async function toHostBatch(batch: Batch): Promise<HostBatch> {
  return {
    x: Float32Array.from((await batch.x.data()) as Float32Array),
    xShape: [...batch.x.shape],
    ...(batch.labels ? { labels: Int32Array.from((await batch.labels.data()) as Int32Array) } : {}),
    ...(batch.condition
      ? {
          condition: Float32Array.from((await batch.condition.data()) as Float32Array),
          conditionShape: [...batch.condition.shape],
        }
      : {}),
  };
}

/** The buffers of a host batch, to transfer with the message that carries it. */
export function hostBatchBuffers(host: HostBatch): ArrayBuffer[] {
  return [host.x, host.labels, host.condition]
    .filter((values): values is Float32Array | Int32Array => values !== undefined)
    .map((values) => values.buffer as ArrayBuffer);
}

/** Tensors of a host batch (the caller disposes them). */
export function fromHostBatch(host: HostBatch): Batch {
  return {
    x: tf.tensor(host.x, host.xShape, 'float32'),
    ...(host.labels ? { labels: tf.tensor1d(host.labels, 'int32') } : {}),
    ...(host.condition
      ? { condition: tf.tensor2d(host.condition, host.conditionShape as [number, number]) }
      : {}),
  };
}
