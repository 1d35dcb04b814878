/**
 * Helpers shared by the distributions: summing over event dimensions, stopping gradients through
 * sampling, and open-interval uniform noise for inverse-CDF and Gumbel sampling.
 */
import * as tf from '@tensorflow/tfjs-core';

/** ½·log(2π), the normalizer of the standard normal density. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Sums a tensor of elementwise log-densities over its event dimensions: every axis from `batchDims` on.
 * With the default `batchDims = 1`, a [batch, 28, 28, 1] tensor of per-pixel log-probabilities becomes
 * the [batch] per-example log-likelihood.
 */
export function sumEventDims(t: tf.Tensor, batchDims = 1): tf.Tensor {
  if (batchDims < 0 || batchDims > t.rank) {
    throw new RangeError(`sumEventDims: batchDims ${batchDims} is outside [0, ${t.rank}] for rank ${t.rank}`);
  }
  if (batchDims === t.rank) return t.clone();
  const axes: number[] = [];
  for (let a = batchDims; a < t.rank; a++) axes.push(a);
  return tf.sum(t, axes);
}

/**
 * Runs `compute` so that no gradient flows from its result back to `inputs`.
 *
 * tfjs has no stop-gradient op; a custom gradient with a zero backward pass serves. The ops inside
 * `compute` run within the custom op's forward pass, which the gradient tape does not record, so
 * non-differentiable kernels used for sampling (comparisons, argmax) never reach backpropagation.
 */
export function withoutGradient<T extends tf.Tensor>(inputs: tf.Tensor[], compute: () => T): T {
  if (inputs.length === 0) return compute();
  const op = tf.customGrad(() => ({
    value: compute(),
    gradFunc: () => inputs.map((t) => tf.zerosLike(t)),
  }));
  return op(...inputs) as T;
}

/** Smallest positive normal float32 and the largest float32 below 1. */
const FLOAT32_TINY = 1.1754943508222875e-38;
const ONE_MINUS_FLOAT32_EPS = 1 - 2 ** -24;

/**
 * Uniform noise strictly inside (0, 1). tfjs draws U[0, 1) in float64 and stores float32, so a draw can
 * round to exactly 0 or 1, where log(u) and log(1 − u) are infinite; clamping to the nearest
 * representable interior values keeps inverse-CDF and Gumbel samples finite.
 */
export function openUniform(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() =>
    tf.clipByValue(tf.randomUniform(shape, 0, 1, 'float32', seed), FLOAT32_TINY, ONE_MINUS_FLOAT32_EPS),
  );
}

/** The broadcast shape of two tensors' shapes (the batch shape of a two-parameter distribution). */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  return tf.broadcast_util.assertAndGetBroadcastShape([...a], [...b]);
}
