/**
 * Sum over leading axes as a matrix product: for x viewed as [K, N], Σ_k x[k, ·] = 1ᵀ·x, one XNNPACK
 * fully-connected call. The stock wasm Sum first transposes the reduced axes to the end (a
 * cache-hostile pass, see transpose.ts) and then loops; the bias gradient of every dense layer over
 * pixels, Σ over the batch × pixel rows of dy [B·H·W, C], took 50 ms for a [100352, 64] dy against
 * about 1 ms as a product. Reductions over other axes, and non-float32 sums, go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernels, type KernelArgs } from './kernel-calls.js';

export function prefixSumConfig(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  if (stock === undefined) throw new Error('the wasm backend has no Sum kernel to extend');
  return {
    kernelName: tf.Sum,
    backendName: stock.backendName,
    setupFunc: stock.setupFunc,
    kernelFunc: (args: KernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
      const prefix = axes.length > 0 && axes.every((a, i) => a === i) && axes.length < x.shape.length;
      if (!prefix || x.dtype !== 'float32') return stock.kernelFunc(args);
      const reduced = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
      const rest = x.shape.slice(axes.length);
      const n = rest.reduce((a, b) => a * b, 1);
      if (reduced < 2 || n === 0) return stock.kernelFunc(args);
      const outShape = keepDims ? [...axes.map(() => 1), ...rest] : rest;
      return composeKernels(args.backend, (k) => {
        const ones = k.run(tf.Fill, {}, { shape: [1, 1, reduced], value: 1, dtype: 'float32' });
        const rows = k.run(tf.Reshape, { x }, { shape: [1, reduced, n] });
        const total = k.run(tf.BatchMatMul, { a: ones, b: rows }, { transposeA: false, transposeB: false });
        return k.run(tf.Reshape, { x: total }, { shape: outShape });
      });
    },
  };
}
