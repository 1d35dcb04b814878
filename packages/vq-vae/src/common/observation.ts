/**
 * The decoder's observation models p(x | z_q), on flattened examples [B, D] and decoder outputs of the
 * same shape:
 *
 * - Gaussian with a fixed variance v (the "MSE" decoder, written as the density it is):
 *     log p(x|z) = −‖x − μ‖²/(2v) − (D/2) ln 2πv,   E[x|z] = μ;
 * - Bernoulli on logits l (binary data):
 *     log p(x|z) = Σ_d x_d l_d − softplus(l_d),     E[x|z] = σ(l).
 *
 * Keeping the Gaussian's log-normalizer makes the bound a bound on a real log-density (bits/dim).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DecoderConfig } from '../vq-vae/config.js';

export interface Observation {
  /** Per-example log p(x | outputs), [B]. */
  logProb(outputs: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D;
  /** E[x | outputs], outputs' shape. */
  mean(outputs: tf.Tensor): tf.Tensor;
}

export function observationOf(config: DecoderConfig): Observation {
  if (config.kind === 'bernoulli') {
    return {
      logProb: (l, x) => tf.tidy(() => tf.sum(tf.sub(tf.mul(x, l), tf.softplus(l)), 1) as tf.Tensor1D),
      mean: (l) => tf.sigmoid(l),
    };
  }
  const v = config.variance;
  return {
    logProb: (mu, x) =>
      tf.tidy(() => {
        const squares = tf.sum(tf.square(tf.sub(x, mu)), 1);
        const dims = x.shape[1];
        return tf.sub(tf.mul(-0.5 / v, squares), 0.5 * dims * Math.log(2 * Math.PI * v)) as tf.Tensor1D;
      }),
    mean: (mu) => tf.clone(mu),
  };
}
