/**
 * Tensor values on the host: what a checkpoint stores, independent of any backend, so reading and writing
 * checkpoints never holds tensors that someone must remember to dispose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors.js';

export type HostDType = 'float32' | 'int32';

export interface HostTensor {
  shape: number[];
  dtype: HostDType;
  values: Float32Array | Int32Array;
}

/** Copies a float32 or int32 tensor's values to the host (booleans are stored as int32 0/1). */
export async function readTensor(name: string, tensor: tf.Tensor): Promise<HostTensor> {
  const dtype = tensor.dtype === 'bool' ? 'int32' : tensor.dtype;
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new CheckpointError(`cannot store "${name}": dtype ${tensor.dtype} (only float32, int32 and bool)`);
  }
  const data = await tensor.data();
  const values =
    dtype === 'float32' ? Float32Array.from(data as Float32Array) : Int32Array.from(data as Int32Array);
  return { shape: [...tensor.shape], dtype, values };
}

/** A new tensor with the host values; the caller owns it. */
export function toTensor(host: HostTensor): tf.Tensor {
  return tf.tensor(host.values, host.shape, host.dtype);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
