/**
 * Conv2DBackpropInput (the input gradient of conv2d, and conv2dTranspose) for wasm on the XNNPACK
 * Conv2D kernel; the stock wasm kernel is a scalar loop.
 *
 * For y = conv2d(x, W) with strides (sₕ, s_w) and top/left padding (pₜ, pₗ):
 *   ∂L/∂x[n, u, v, c] = Σ_{p·sₕ + i = u + pₜ} Σ_{q·s_w + j = v + pₗ} Σₒ dy[n, p, q, o] · W[i, j, c, o].
 * The textbook reduction spreads dy out by the stride (zeros between its rows and columns) and runs a
 * stride-1 convolution with W flipped in space and with in/out channels swapped; with stride s, s² − 1
 * of every s² multiply-adds then hit an inserted zero. This kernel computes the same sums as a
 * sub-pixel convolution (Shi et al. 2016, "Real-Time Single Image and Video Super-Resolution Using an
 * Efficient Sub-Pixel Convolutional Neural Network"): output rows u of one phase r = (u + pₜ) mod sₕ
 * only meet filter rows i ≡ r (mod sₕ), so every phase (φₕ, φ_w) of the output is a stride-1
 * convolution of dy itself with a few taps of the flipped W. All phases read the same dy, so their
 * taps are stacked, aligned in a common K × K' window, as the output channels of one filter:
 *   z = conv2d(dy, W_subpixel) : [N, ⌈H/sₕ⌉, ⌈W/s_w⌉, sₕ·s_w·Cin],
 *   ∂L/∂x[n, t·sₕ + φₕ, t'·s_w + φ_w, c] = z[n, t, t', (φₕ·s_w + φ_w)·Cin + c],
 * the interleave being one reshape/transpose/reshape, then a crop to H × W. For a 3×3 filter with
 * stride 2 this does 16 multiply-adds per 9 useful ones instead of 36 (and exactly the useful ones with
 * stride 1), in one XNNPACK call.
 */

import { ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertChannelsLast,
  assertFloat32,
  composeKernels,
  type KernelArgs,
  type KernelCalls,
  WASM,
} from './kernel-calls.js';
import { paddedConv2d } from './padded-conv.js';

/** One phase along one spatial axis: which flipped-filter taps it uses and where they sit in the window. */
interface Phase {
  /** Index of the phase's first tap in the flipped filter; later taps follow every `stride`. */
  first: number;
  /** Number of filter taps in this phase (0 when the filter is shorter than the stride). */
  taps: number;
  /** Position of the first tap in the common window. */
  offset: number;
}

/** The sub-pixel geometry along one axis. */
interface Axis {
  /** Output positions per phase, ⌈size/s⌉ (phases with fewer compute a discarded extra). */
  length: number;
  /** Common window (filter) size. */
  window: number;
  /** Padding of dy before/after (negative: crop) so that the convolution gives `length` outputs. */
  before: number;
  after: number;
  /** Indexed by the output offset φ: phase φ fills positions φ, φ + s, φ + 2s, … */
  phases: Phase[];
}

/**
 * For output offset φ the tap residue is r = (φ + pad) mod s, the taps are i = r, r + s, … < k, and
 * output t of the phase reads dy[t + P₀ − (taps − 1) + a] against the a-th of its taps flipped, where
 * P₀ = (φ + pad − r)/s. The window spans every phase's reads; padding dy by −(its start) aligns t.
 */
function subPixelAxis(size: number, dySize: number, k: number, s: number, pad: number): Axis {
  const length = Math.ceil(size / s);
  const reads = Array.from({ length: s }, (_, phi) => {
    const r = (phi + pad) % s;
    const taps = r < k ? Math.ceil((k - r) / s) : 0;
    const start = (phi + pad - r) / s - (taps - 1);
    return { first: k - 1 - r - (taps - 1) * s, taps, start };
  });
  const used = reads.filter((p) => p.taps > 0); // r = 0 always has taps, so never empty
  const start = Math.min(...used.map((p) => p.start));
  const window = Math.max(...used.map((p) => p.start + p.taps)) - start;
  return {
    length,
    window,
    before: -start,
    after: length + window - 1 - dySize + start,
    phases: reads.map((p) => ({ first: p.first, taps: p.taps, offset: p.start - start })),
  };
}

export function conv2dBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as tf.Conv2DBackpropInputAttrs;
  assertChannelsLast(tf.Conv2DBackpropInput, dataFormat);
  assertFloat32(tf.Conv2DBackpropInput, dy, filter);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (!tf.util.arraysEqual(dy.shape, info.outShape)) {
    throw new ShapeError(
      `Conv2DBackpropInput: dy has shape [${dy.shape}], but a conv2d of [${inputShape}] with a ` +
        `[${filter.shape}] filter gives [${info.outShape}]`,
    );
  }
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const rows = subPixelAxis(inHeight, outHeight, filterHeight, sh, info.padInfo.top);
  const cols = subPixelAxis(inWidth, outWidth, filterWidth, sw, info.padInfo.left);

  return composeKernels(backend, (k) => {
    const z = paddedConv2d(k, dy, subPixelFilter(k, filter, rows, cols, sh, sw), {
      top: rows.before,
      bottom: rows.after,
      left: cols.before,
      right: cols.after,
    });
    if (sh === 1 && sw === 1) return z; // one phase: z is ∂L/∂x already
    // [N, Lₕ, L_w, sₕ·s_w·C] → [N·Lₕ, L_w, sₕ, s_w·C] → [N·Lₕ, sₕ, L_w, s_w·C] = [N, Lₕ·sₕ, L_w·s_w, C]
    const grid = k.run(
      tf.Reshape,
      { x: z },
      { shape: [batchSize * rows.length, cols.length, sh, sw * inChannels] },
    );
    const interleaved = k.run(tf.Transpose, { x: grid }, { perm: [0, 2, 1, 3] });
    const full = k.run(
      tf.Reshape,
      { x: interleaved },
      {
        shape: [batchSize, rows.length * sh, cols.length * sw, inChannels],
      },
    );
    if (rows.length * sh === inHeight && cols.length * sw === inWidth) return full;
    return k.run(tf.Slice, { x: full }, { begin: [0, 0, 0, 0], size: inputShape });
  });
}

/**
 * The sub-pixel filter [K, K', Cout, sₕ·s_w·Cin]: W flipped in space with in/out channels swapped,
 * each phase's taps placed at its offset in the window (zeros elsewhere), phases stacked along the
 * output channels in (φₕ, φ_w) order.
 */
function subPixelFilter(
  k: KernelCalls,
  filter: tf.TensorInfo,
  rows: Axis,
  cols: Axis,
  sh: number,
  sw: number,
): tf.TensorInfo {
  const [, , cin, cout] = filter.shape;
  const reversed = k.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
  const flipped = k.run(tf.Transpose, { x: reversed }, { perm: [0, 1, 3, 2] }); // [kh, kw, Cout, Cin]
  const blocks: tf.TensorInfo[] = [];
  for (const row of rows.phases) {
    for (const col of cols.phases) {
      if (row.taps === 0 || col.taps === 0) {
        const shape = [rows.window, cols.window, cout, cin];
        blocks.push(k.run(tf.Fill, {}, { shape, value: 0, dtype: 'float32' }));
        continue;
      }
      const taps = k.run(
        tf.StridedSlice,
        { x: flipped },
        {
          begin: [row.first, col.first, 0, 0],
          end: [row.first + (row.taps - 1) * sh + 1, col.first + (col.taps - 1) * sw + 1, cout, cin],
          strides: [sh, sw, 1, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
      const paddings = [
        [row.offset, rows.window - row.offset - row.taps],
        [col.offset, cols.window - col.offset - col.taps],
        [0, 0],
        [0, 0],
      ];
      blocks.push(k.run(tf.PadV2, { x: taps }, { paddings, constantValue: 0 }));
    }
  }
  if (blocks.length === 1) return blocks[0];
  return k.run(tf.Concat, blocks as unknown as tf.NamedTensorInfoMap, { axis: 3 });
}

export const conv2dBackpropInputConfig = (stock: tf.KernelConfig | undefined): tf.KernelConfig => ({
  kernelName: tf.Conv2DBackpropInput,
  backendName: WASM,
  setupFunc: stock?.setupFunc,
  kernelFunc: conv2dBackpropInput as tf.KernelFunc,
});
