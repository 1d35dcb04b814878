/**
 * The importance-weighted bound (Burda et al. 2016, eq. 8) with k draws:
 *
 *   L_k(x) = log (1/k) Σ_s w_s,   w_s = p(x, z_s) / q(z_s|x),   z_s ~ q(z|x)
 *
 * computed as a log-mean-exp of the log-weights (max subtracted, float32-safe). L_1 is the ELBO, and
 * L_k ≤ L_{k+1} ≤ log p(x) (ibid., Theorem 1). Under KL warm-up the prior-to-posterior ratio inside each
 * weight is tempered: log w_s = log p(x|z_s) + β_t (log p(z_s) − log q(z_s|x)).
 *
 * The score-function estimator of this bound is VIMCO (Mnih & Rezende 2016, eq. 10): draw s gets the
 * learning signal L̂ − L̂₋ₛ, where L̂₋ₛ is the bound with w_s replaced by the geometric mean of the other
 * weights; with k = 1 it falls back to the ELBO's batch baseline. The bound's explicit dependence on φ
 * (through −log q at the fixed draws) keeps its ordinary gradient.
 */
import { logMeanExp } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { leaveOneOutBaseline } from './baseline.js';
import type { BoundLoss, LossOptions } from './bound.js';
import type { VariationalPass } from './pass.js';
import { stopGradient } from './stop-gradient.js';

/** log w_s = log p(x|z_s) + β (log p(z_s) − log q(z_s|x)), [k, B]. */
export function logWeights(pass: VariationalPass, beta = 1): tf.Tensor2D {
  return tf.tidy(() =>
    beta === 1
      ? tf.add(pass.logLikelihood, pass.logRatio)
      : tf.add(pass.logLikelihood, tf.mul(beta, pass.logRatio)),
  ) as tf.Tensor2D;
}

/** Per-example L_k, [B]. */
export function iwaeBound(pass: VariationalPass, beta = 1): tf.Tensor1D {
  return tf.tidy(() => logMeanExp(logWeights(pass, beta), 0)) as tf.Tensor1D;
}

/** VIMCO's leave-one-out bounds L̂₋ₛ, [k, B], for log-weights [k, B] with k ≥ 2. */
function leaveOneOutBounds(w: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const k = w.shape[0];
    const othersMean = tf.div(tf.sub(tf.sum(w, 0, true), w), k - 1); // [k, B]
    const eye = tf.expandDims(tf.eye(k), 2); // [k, k, 1]: row s replaces entry s
    const replaced = tf.add(
      tf.mul(tf.sub(1, eye), tf.expandDims(w, 0)),
      tf.mul(eye, tf.expandDims(othersMean, 1)),
    );
    return logMeanExp(replaced, 1) as tf.Tensor2D;
  });
}

export function iwaeLoss(pass: VariationalPass, options: LossOptions): BoundLoss {
  return tf.tidy(() => {
    const { beta } = options;
    const w = logWeights(pass, beta);
    const bound = logMeanExp(w, 0) as tf.Tensor1D;
    let loss = tf.neg(tf.mean(bound)) as tf.Scalar;
    if (options.estimator === 'score-function') {
      const k = w.shape[0];
      const total = tf.expandDims(bound, 0); // [1, B]
      let signal: tf.Tensor2D;
      if (options.baseline === 'none') signal = tf.broadcastTo(total, w.shape) as tf.Tensor2D;
      else if (k > 1) signal = tf.sub(total, leaveOneOutBounds(w)) as tf.Tensor2D;
      else signal = tf.sub(total, leaveOneOutBaseline(total as tf.Tensor2D)) as tf.Tensor2D;
      loss = tf.sub(loss, tf.mean(tf.sum(tf.mul(stopGradient(signal), pass.logPosterior), 0))) as tf.Scalar;
    }
    const reconstruction = tf.mean(pass.logLikelihood) as tf.Scalar;
    const kl = tf.mean(tf.sum(pass.klPerDim, -1)) as tf.Scalar;
    return {
      loss,
      metrics: {
        iwae: tf.mean(beta === 1 ? bound : iwaeBound(pass)) as tf.Scalar,
        elbo: tf.sub(reconstruction, kl) as tf.Scalar,
        recon: reconstruction,
        kl,
        beta: tf.scalar(beta),
      },
    };
  });
}
