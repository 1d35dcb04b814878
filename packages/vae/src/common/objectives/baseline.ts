/**
 * Leave-one-out baselines for the score-function estimator. The estimator
 *
 *   ∇_φ E_q[f(z)] = E_q[(f(z) − b) ∇_φ log q_φ(z|x)]
 *
 * stays unbiased for any b that does not depend on z, because E_q[∇_φ log q_φ(z|x)] = 0. Taking for draw s
 * the mean signal of the *other* draws of the same example (Kool et al. 2019; Mnih & Rezende 2016 use the
 * same idea in VIMCO) satisfies this and removes most of the variance. With a single draw per example,
 * the other examples of the batch serve instead (a weaker but still unbiased control variate).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Baselines b [S, B] for signals [S, B]: leave-one-out over draws, or over the batch when S = 1. */
export function leaveOneOutBaseline(signal: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [samples, batch] = signal.shape;
    const axis = samples > 1 ? 0 : 1;
    const count = samples > 1 ? samples : batch;
    // A single signal has no other to compare with: no baseline.
    if (count < 2) return tf.zerosLike(signal);
    const total = tf.sum(signal, axis, true);
    return tf.div(tf.sub(total, signal), count - 1) as tf.Tensor2D;
  });
}
