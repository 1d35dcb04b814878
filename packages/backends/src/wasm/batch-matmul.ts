/**
 * BatchMatMul and _FusedMatMul with transposed operands at the speed of the plain product.
 *
 * The stock wasm kernels hand a·b to XNNPACK (a fully-connected operator) only when neither operand is
 * transposed and there is a single batch, and fall back to a blocked scalar loop otherwise, 10-30x
 * slower. Backpropagation through y = x·W asks for exactly the transposed products (∂L/∂x = dy·Wᵀ,
 * ∂L/∂W = xᵀ·dy), so every dense layer's backward pass hit the slow path. Materializing the transpose
 * with the wasm Transpose kernel costs one pass over the operand, small next to the O(m·k·n) product,
 * and leaves the plain product to XNNPACK. Batched products (batch > 1) stay on the stock loop either
 * way; this only removes the extra penalty of the transposes.
 *
 * On that loop the stock _FusedMatMul also adds the wrong bias entries; see untransposedFusedMatMul.
 */

import { BackendError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { composeKernels, type KernelArgs, type KernelCalls, swapLastTwo, WASM } from './kernel-calls.js';

/**
 * Wraps the stock BatchMatMul so that it only ever sees transposeA = transposeB = false.
 *
 * XNNPACK repacks its right operand on every call (in training it changes every step anyway), so the
 * cost besides the product is the values moved: the transposes and the packing of the right operand.
 * For a single product C = op(A)·op(B) (m × k by k × n) it is computed either directly, moving
 * [op(A) transposed: m·k] + [op(B) transposed: k·n] + [packing op(B): k·n] values, or as
 * C = (op(B)ᵀ·op(A)ᵀ)ᵀ, moving [B transposed unless it already is: k·n] + [A likewise: m·k] +
 * [packing op(A)ᵀ: m·k] + [transposing the n × m result: m·n] — whichever moves fewer. A dense layer's
 * input gradient dy·Wᵀ (m = batch, W large) moves about a third as much the second way.
 */
function untransposedMatMul(stock: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
    return composeKernels(args.backend, (k) => {
      if (swappedIsCheaper(a, b, attrs)) {
        const left = attrs.transposeB
          ? b
          : k.run(tf.Transpose, { x: b }, { perm: swapLastTwo(b.shape.length) });
        const right = attrs.transposeA
          ? a
          : k.run(tf.Transpose, { x: a }, { perm: swapLastTwo(a.shape.length) });
        const product = k.call(stock, { a: left, b: right }, { transposeA: false, transposeB: false });
        return k.run(tf.Transpose, { x: product }, { perm: swapLastTwo(product.shape.length) });
      }
      const [a2, b2] = untranspose(k, a, b, attrs);
      return k.call(stock, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
    });
  };
}

/** Whether (op(B)ᵀ·op(A)ᵀ)ᵀ moves fewer values than op(A)·op(B) (single products; see untransposedMatMul). */
export function swappedIsCheaper(
  a: { shape: number[] },
  b: { shape: number[] },
  { transposeA, transposeB }: { transposeA: boolean; transposeB: boolean },
): boolean {
  const rank = a.shape.length;
  // Batched products run on the stock scalar loop, which packs nothing.
  if (tf.util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || tf.util.sizeFromShape(b.shape.slice(0, -2)) !== 1)
    return false;
  const [m, k] = transposeA ? [a.shape[rank - 1], a.shape[rank - 2]] : [a.shape[rank - 2], a.shape[rank - 1]];
  const n = transposeB ? b.shape[rank - 2] : b.shape[rank - 1];
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * k + m * n;
  return swapped < direct;
}

/**
 * Wraps the stock _FusedMatMul (inputs are rank 3 here: the op reshapes them) likewise, and fixes its
 * bias on the scalar-loop path (batch > 1), which reads the bias at row·n + column instead of column.
 * Passing the bias tiled to m × n makes both readings give bias[column].
 */
function untransposedFusedMatMul(stock: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b, bias } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
    const scalarLoop = a.shape[0] > 1 || b.shape[0] > 1;
    const tileBias = scalarLoop && bias !== undefined && tf.util.sizeFromShape(bias.shape) > 1;
    if (!attrs.transposeA && !attrs.transposeB && !tileBias) return stock.kernelFunc(args);
    return composeKernels(args.backend, (k) => {
      const [a2, b2] = untranspose(k, a, b, attrs);
      let bias2 = bias;
      // Tiling the rank-1 bias m times gives the row-major m × n tiling in one buffer (the stock kernel
      // checks the buffer's own shape, so a reshape of a 2-D tile would not pass).
      if (bias !== undefined && tileBias) bias2 = k.run(tf.Tile, { x: bias }, { reps: [a2.shape[1]] });
      return k.call(
        stock,
        { ...args.inputs, a: a2, b: b2, bias: bias2 },
        { ...attrs, transposeA: false, transposeB: false },
      );
    });
  };
}

/** a and b with their requested transposes materialized by the wasm Transpose kernel. */
function untranspose(
  k: KernelCalls,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  attrs: { transposeA: boolean; transposeB: boolean },
): [tf.TensorInfo, tf.TensorInfo] {
  return [
    attrs.transposeA ? k.run(tf.Transpose, { x: a }, { perm: swapLastTwo(a.shape.length) }) : a,
    attrs.transposeB ? k.run(tf.Transpose, { x: b }, { perm: swapLastTwo(b.shape.length) }) : b,
  ];
}

function requireStock(name: string, stock: tf.KernelConfig | undefined): tf.KernelConfig {
  if (stock === undefined) {
    throw new BackendError(`the wasm backend has no stock '${name}' kernel to wrap; import it first`);
  }
  return stock;
}

export const batchMatMulConfig = (stock: tf.KernelConfig | undefined): tf.KernelConfig => {
  const wrapped = requireStock(tf.BatchMatMul, stock);
  return {
    kernelName: tf.BatchMatMul,
    backendName: WASM,
    setupFunc: wrapped.setupFunc,
    kernelFunc: untransposedMatMul(wrapped),
  };
};

/** The bias/activation-fused product; bias and activation apply after the product, unchanged. */
export const fusedMatMulConfig = (stock: tf.KernelConfig | undefined): tf.KernelConfig => {
  const wrapped = requireStock(tf._FusedMatMul, stock);
  return {
    kernelName: tf._FusedMatMul,
    backendName: WASM,
    setupFunc: wrapped.setupFunc,
    kernelFunc: untransposedFusedMatMul(wrapped),
  };
};
