/**
 * Conv2DBackpropFilter (the filter gradient of conv2d) for wasm, which has no such kernel: without it
 * no convolutional network can train on wasm.
 *
 * For y = conv2d(x, W) with strides (sₕ, s_w) and top/left padding (pₜ, pₗ), x zero-padded to x̃:
 *   ∂L/∂W[i, j, c, o] = Σₙ Σₚ Σ_q x̃[n, p·sₕ + i, q·s_w + j, c] · dy[n, p, q, o].
 * Reading c as the batch, n as the input channel, (p, q) as filter taps with dilation (sₕ, s_w) and
 * dy as the filter, this is itself a stride-1 convolution:
 *   x' = transpose(x) : [Cin, H, W, N],   dy' = transpose(dy) : [Hₒ, Wₒ, N, Cout],
 *   g  = conv2d(x', dy', dilation = stride, padding: top pₜ, left pₗ) : [Cin, kh, kw, Cout],
 *   ∂L/∂W = transpose(g) : [kh, kw, Cin, Cout].
 * The bottom/right padding is chosen so that g is exactly kh × kw; it is negative (crop) when the forward
 * convolution did not reach the last rows. Cost: two transposes of x and dy plus one XNNPACK
 * convolution with the forward pass's multiply-adds.
 */

import { ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertChannelsLast, assertFloat32, composeKernels, type KernelArgs, WASM } from './kernel-calls.js';
import { paddedConv2d } from './padded-conv.js';

export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  assertChannelsLast(tf.Conv2DBackpropFilter, dataFormat);
  assertFloat32(tf.Conv2DBackpropFilter, x, dy);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } =
    info;
  if (!tf.util.arraysEqual(dy.shape, info.outShape)) {
    throw new ShapeError(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}], but a conv2d of [${x.shape}] with a ` +
        `[${filterShape}] filter gives [${info.outShape}]`,
    );
  }
  const { top, left } = info.padInfo;
  return composeKernels(backend, (k) => {
    const xT = k.run(tf.Transpose, { x }, { perm: [3, 1, 2, 0] });
    const dyT = k.run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    const g = paddedConv2d(
      k,
      xT,
      dyT,
      {
        top,
        left,
        bottom: filterHeight + (outHeight - 1) * strideHeight - inHeight - top,
        right: filterWidth + (outWidth - 1) * strideWidth - inWidth - left,
      },
      [strideHeight, strideWidth],
    );
    return k.run(tf.Transpose, { x: g }, { perm: [1, 2, 0, 3] });
  });
}

export const conv2dBackpropFilterConfig = (): tf.KernelConfig => ({
  kernelName: tf.Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2dBackpropFilter as tf.KernelFunc,
});
