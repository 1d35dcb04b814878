/**
 * Composing a kernel from other kernels of the same backend. The pack's kernels call the wasm backend's
 * kernel functions directly, below the engine: nothing is recorded on the gradient tape (tfjs records
 * the composite kernel, whose gradient is registered separately) and no engine tensors are created, so
 * every intermediate must be freed on the backend by hand. `composeKernels` does that bookkeeping.
 */

import { BackendError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export const WASM = 'wasm';

/** What tfjs passes a kernel function (its `backend` is typed `{}` in tfjs; here it is the wasm one). */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** What the kernels use of tfjs-backend-wasm's backend beyond tfjs's KernelBackend. */
interface WasmBackend {
  typedArrayFromHeap(t: tf.TensorInfo): ArrayLike<number>;
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
}

export class KernelCalls {
  private readonly intermediates: tf.TensorInfo[] = [];

  constructor(private readonly backend: tf.KernelBackend) {}

  /** Runs the wasm kernel currently registered as `kernelName`. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: object = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, WASM);
    if (kernel === undefined) {
      throw new BackendError(`the wasm backend has no '${kernelName}' kernel; is it loaded?`);
    }
    return this.call(kernel, inputs, attrs);
  }

  /** Runs a specific kernel config (used for the stock kernels the pack has replaced). */
  call(kernel: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, attrs: object = {}): tf.TensorInfo {
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    if (Array.isArray(out)) {
      for (const t of out) this.intermediates.push(t);
      throw new BackendError(`kernel '${kernel.kernelName}' returned several outputs where one was expected`);
    }
    this.intermediates.push(out);
    return out;
  }

  /** The values of a wasm tensor, viewed in the wasm heap (valid until the next allocation grows it). */
  values(t: tf.TensorInfo): Float32Array {
    return (this.backend as unknown as WasmBackend).typedArrayFromHeap(t) as Float32Array;
  }

  /** A new float32 tensor holding `values` (an intermediate like the kernels' outputs). */
  tensor(shape: number[], values: Float32Array): tf.TensorInfo {
    const out = (this.backend as unknown as WasmBackend).makeOutput(shape, 'float32', undefined, values);
    this.intermediates.push(out);
    return out;
  }

  /** Frees every intermediate except `result`. */
  release(result?: tf.TensorInfo): void {
    for (const t of this.intermediates) if (t !== result) this.backend.disposeData(t.dataId);
    this.intermediates.length = 0;
  }
}

/**
 * Runs `body` with a fresh KernelCalls and frees all its intermediates except the returned tensor, also
 * when `body` throws.
 */
export function composeKernels(backend: object, body: (k: KernelCalls) => tf.TensorInfo): tf.TensorInfo {
  const calls = new KernelCalls(backend as tf.KernelBackend);
  let result: tf.TensorInfo | undefined;
  try {
    result = body(calls);
    return result;
  } finally {
    calls.release(result);
  }
}

/** Permutation swapping the last two axes of a rank-`rank` tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function assertChannelsLast(kernelName: string, dataFormat: string): void {
  if (dataFormat !== 'NHWC') {
    throw new BackendError(
      `genzoo's wasm ${kernelName} supports dataFormat 'NHWC' only, got '${dataFormat}'; transpose the input to NHWC`,
    );
  }
}

export function assertFloat32(kernelName: string, ...tensors: tf.TensorInfo[]): void {
  for (const t of tensors) {
    if (t.dtype !== 'float32') {
      throw new BackendError(`genzoo's wasm ${kernelName} supports float32 tensors only, got ${t.dtype}`);
    }
  }
}
