/**
 * genzoo's wasm kernel pack: kernels the stock wasm backend lacks or runs as scalar loops, rebuilt from
 * its fast XNNPACK kernels (Conv2D, the untransposed BatchMatMul) plus cheap data movement (Transpose,
 * Reshape, PadV2, Reverse, Slice), Transpose and Sum made cache-friendly for large tensors, and Tanh
 * through the vectorized Sigmoid. tfjs looks kernels up per call, so registering them changes every op
 * and gradient that uses them; gradients themselves are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-matmul.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { WASM } from './kernel-calls.js';
import { prefixSumConfig } from './prefix-sum.js';
import { sigmoidTanhConfig } from './tanh.js';
import { blockedTransposeConfig } from './transpose.js';

/** Builds a pack kernel from the stock kernel it replaces (undefined when wasm has none). */
type PackEntry = [kernelName: string, make: (stock: tf.KernelConfig | undefined) => tf.KernelConfig];

const PACK: PackEntry[] = [
  [tf.Conv2DBackpropFilter, conv2dBackpropFilterConfig],
  [tf.Conv2DBackpropInput, conv2dBackpropInputConfig],
  [tf.BatchMatMul, batchMatMulConfig],
  [tf._FusedMatMul, fusedMatMulConfig],
  [tf.Transpose, blockedTransposeConfig],
  [tf.Sum, prefixSumConfig],
  [tf.Tanh, sigmoidTanhConfig],
];

/**
 * The stock kernels the pack displaced, to put back on unregister; undefined while the pack is not
 * registered. Kept on globalThis, like tfjs's own kernel registry, so that two copies of @genzoo/core in
 * one process (its ESM and CJS builds, say) share it instead of wrapping each other's kernels.
 */
const STATE_KEY = Symbol.for('genzoo.wasmKernelPack');
type PackState = { displaced?: Map<string, tf.KernelConfig | undefined> };
const registry = globalThis as Record<symbol, PackState | undefined>;
registry[STATE_KEY] ??= {};
const state: PackState = registry[STATE_KEY];

/**
 * Registers the pack for the 'wasm' backend (idempotent) and returns the kernel names. The wasm backend
 * package must be imported first, since the pack wraps some of its kernels. Pack kernels carry the stock
 * kernel's setupFunc, so the stock kernel they call is set up even when the pack is registered before
 * the wasm backend initializes.
 */
export function registerWasmKernelPack(): string[] {
  if (state.displaced === undefined) {
    const stock = new Map<string, tf.KernelConfig | undefined>();
    const configs = PACK.map(([name, make]) => {
      const existing = tf.getKernel(name, WASM);
      stock.set(name, existing);
      return make(existing);
    });
    for (const config of configs) {
      // tfjs warns when a kernel is registered twice, so the stock one goes first.
      if (stock.get(config.kernelName) !== undefined) tf.unregisterKernel(config.kernelName, WASM);
      tf.registerKernel(config);
    }
    state.displaced = stock;
  }
  return wasmKernelPackNames();
}

/** Restores the stock wasm kernels (for benchmarks and A/B comparisons). */
export function unregisterWasmKernelPack(): void {
  if (state.displaced === undefined) return;
  for (const [name, stock] of state.displaced) {
    tf.unregisterKernel(name, WASM);
    if (stock !== undefined) tf.registerKernel(stock);
  }
  state.displaced = undefined;
}

/** Names of the pack's kernels that are currently registered (empty when the pack is not). */
export function wasmKernelPackNames(): string[] {
  return state.displaced === undefined ? [] : PACK.map(([name]) => name);
}
