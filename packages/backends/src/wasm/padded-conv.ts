/**
 * A stride-1 NHWC convolution on the wasm Conv2D kernel (XNNPACK) with per-side padding that may be
 * negative. The backprop kernels reduce to such convolutions; their padding comes out negative when the
 * forward convolution never read the last rows/columns of its input (e.g. 'valid' with a stride that
 * does not divide), and XNNPACK takes non-negative padding only, so negative padding crops the input.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelCalls } from './kernel-calls.js';

export interface SignedPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export function paddedConv2d(
  k: KernelCalls,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  padding: SignedPadding,
  dilations: [number, number] = [1, 1],
): tf.TensorInfo {
  const { top, bottom, left, right } = padding;
  let input = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [n, h, w, c] = x.shape;
    const cropTop = Math.max(0, -top);
    const cropLeft = Math.max(0, -left);
    const keptHeight = h - cropTop - Math.max(0, -bottom);
    const keptWidth = w - cropLeft - Math.max(0, -right);
    if (keptHeight <= 0 || keptWidth <= 0) {
      // Every output position lies in the padding: the result is all zeros.
      const [kh, kw, , cout] = filter.shape;
      const outHeight = h + top + bottom - (kh - 1) * dilations[0];
      const outWidth = w + left + right - (kw - 1) * dilations[1];
      return k.run(tf.Fill, {}, { shape: [n, outHeight, outWidth, cout], value: 0, dtype: 'float32' });
    }
    input = k.run(tf.Slice, { x }, { begin: [0, cropTop, cropLeft, 0], size: [n, keptHeight, keptWidth, c] });
  }
  const pad = [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ];
  return k.run(tf.Conv2D, { x: input, filter }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations });
}
