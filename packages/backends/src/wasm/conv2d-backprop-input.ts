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
    const z =
      stackedWaste(rows, cols) > PHASE_CONVOLUTIONS_ABOVE && inChannels >= PHASE_CONVOLUTIONS_MIN_CHANNELS
        ? phaseConvolutions(k, dy, filter, rows, cols, sh, sw)
        : paddedConv2d(k, dy, subPixelFilter(k, filter, rows, cols, sh, sw), {
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
 * Multiply-adds of the stacked sub-pixel convolution over the useful ones: every phase runs the common
 * K × K' window, zeros included. A 4 × 4 filter with stride 2 and 'same' padding (DCGAN's generator)
 * needs a 3 × 3 window for 2 × 2 taps per phase: 2.25; a 3 × 3 filter with stride 2, 16/9.
 */
function stackedWaste(rows: Axis, cols: Axis): number {
  let useful = 0;
  for (const row of rows.phases) for (const col of cols.phases) useful += row.taps * col.taps;
  return (rows.window * cols.window * rows.phases.length * cols.phases.length) / useful;
}

/**
 * Above this waste one convolution per phase (exactly the useful multiply-adds) beats the stacked one
 * — when each phase has channels enough to keep XNNPACK busy: with Cin = 1 (an image decoder's last
 * layer) four one-channel convolutions take 18 ms where the stacked one takes 4 (batch 128, 14 → 28).
 */
const PHASE_CONVOLUTIONS_ABOVE = 1.25;
const PHASE_CONVOLUTIONS_MIN_CHANNELS = 16;

/**
 * z of the stacked convolution, computed phase by phase: phase (φₕ, φ_w) is a stride-1 convolution of dy
 * with its own taps (no zeros), read from where its taps sit in the common window; the phases' outputs
 * are then stacked along the channels as the stacked convolution would have produced them.
 */
function phaseConvolutions(
  k: KernelCalls,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  rows: Axis,
  cols: Axis,
  sh: number,
  sw: number,
): tf.TensorInfo {
  const [, , cin, cout] = filter.shape;
  const [batchSize, dyHeight, dyWidth] = dy.shape;
  // Copied out now: the heap view would move if a convolution below grew the wasm memory.
  const weights = Float32Array.from(k.values(filter));
  const outputs: tf.TensorInfo[] = [];
  for (const row of rows.phases) {
    for (const col of cols.phases) {
      if (row.taps === 0 || col.taps === 0) {
        const shape = [batchSize, rows.length, cols.length, cin];
        outputs.push(k.run(tf.Fill, {}, { shape, value: 0, dtype: 'float32' }));
        continue;
      }
      const values = new Float32Array(row.taps * col.taps * cout * cin);
      gatherTaps(weights, filter.shape, row, col, sh, sw, values, {
        rows: row.taps,
        cols: col.taps,
        channels: cin,
        at: 0,
      });
      const taps = k.tensor([row.taps, col.taps, cout, cin], values);
      // The stacked convolution reads padded rows t + offset + a for tap a: pad dy by (before − offset).
      const top = rows.before - row.offset;
      const left = cols.before - col.offset;
      outputs.push(
        paddedConv2d(k, dy, taps, {
          top,
          bottom: rows.length + row.taps - 1 - dyHeight - top,
          left,
          right: cols.length + col.taps - 1 - dyWidth - left,
        }),
      );
    }
  }
  if (outputs.length === 1) return outputs[0];
  return k.run(tf.Concat, outputs as unknown as tf.NamedTensorInfoMap, { axis: 3 });
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
  const weights = Float32Array.from(k.values(filter));
  const channels = sh * sw * cin;
  const values = new Float32Array(rows.window * cols.window * cout * channels);
  rows.phases.forEach((row, ph) => {
    cols.phases.forEach((col, pw) => {
      const into = { rows: rows.window, cols: cols.window, channels, at: (ph * sw + pw) * cin };
      gatherTaps(weights, filter.shape, row, col, sh, sw, values, into, row.offset, col.offset);
    });
  });
  return k.tensor([rows.window, cols.window, cout, channels], values);
}

/**
 * Writes one phase's taps of W flipped in space with in/out channels swapped into `out`, a filter
 * [into.rows, into.cols, Cout, into.channels], at window position (top, left) and channel `into.at`:
 *   out[top + a, left + b, o, at + c] = W[kh − 1 − (first + a·sₕ), kw − 1 − (first' + b·s_w), c, o].
 * Gathered on the host: the stock Reverse and StridedSlice kernels take milliseconds on a 4 × 4 × 64 × 128
 * filter, the copy a fraction of one.
 */
function gatherTaps(
  weights: Float32Array,
  [kh, kw, cin, cout]: number[],
  row: Phase,
  col: Phase,
  sh: number,
  sw: number,
  out: Float32Array,
  into: { rows: number; cols: number; channels: number; at: number },
  top = 0,
  left = 0,
): void {
  for (let a = 0; a < row.taps; a++) {
    const i = kh - 1 - (row.first + a * sh);
    for (let b = 0; b < col.taps; b++) {
      const j = kw - 1 - (col.first + b * sw);
      const source = (i * kw + j) * cin * cout;
      const target = ((top + a) * into.cols + (left + b)) * cout * into.channels + into.at;
      for (let o = 0; o < cout; o++) {
        const t = target + o * into.channels;
        for (let c = 0; c < cin; c++) out[t + c] = weights[source + c * cout + o];
      }
    }
  }
}

export const conv2dBackpropInputConfig = (stock: tf.KernelConfig | undefined): tf.KernelConfig => ({
  kernelName: tf.Conv2DBackpropInput,
  backendName: WASM,
  setupFunc: stock?.setupFunc,
  kernelFunc: conv2dBackpropInput as tf.KernelFunc,
});
