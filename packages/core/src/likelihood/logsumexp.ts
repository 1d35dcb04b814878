/**
 * Log-sum-exp reductions that stay finite in float32.
 *
 *   logΣ_i exp(x_i) = m + log Σ_i exp(x_i − m),   m = max_i x_i
 *
 * Subtracting the maximum keeps every exp(·) in (0, 1], so neither overflow (log-likelihoods of
 * thousands of nats) nor total underflow (exp(−1000) = 0 in float32) can occur. A row whose entries are
 * all −Inf (every importance weight zero) has m = −Inf and x − m = NaN; such rows use m = 0 instead and
 * correctly give −Inf. tfjs's own `tf.logSumExp` returns NaN for them.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The max, with non-finite values replaced by 0 so that x − m is well defined. */
function finiteShift(m: tf.Tensor): tf.Tensor {
  return tf.where(tf.isFinite(m), m, tf.zerosLike(m));
}

/** log Σ exp(x) along `axis` (default: the last axis). */
export function logSumExp(x: tf.Tensor, axis: number | number[] = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const shift = finiteShift(tf.max(x, axes, true));
    const logSum = tf.log(tf.sum(tf.exp(tf.sub(x, shift)), axes, keepDims));
    return tf.add(logSum, keepDims ? shift : tf.squeeze(shift, axes));
  });
}

/** log((1/n) Σ exp(x)) along `axis`, n the number of reduced elements: the log of a mean of weights. */
export function logMeanExp(x: tf.Tensor, axis: number | number[] = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const n = axes.reduce((count, a) => count * x.shape[a], 1);
    return tf.sub(logSumExp(x, axes, keepDims), Math.log(n));
  });
}

/** Elementwise log(exp(a) + exp(b)), the two-term log-sum-exp used to merge running sums. */
export function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shift = finiteShift(tf.maximum(a, b));
    return tf.add(tf.log(tf.add(tf.exp(tf.sub(a, shift)), tf.exp(tf.sub(b, shift)))), shift);
  });
}
