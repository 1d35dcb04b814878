/**
 * The evidence lower bound (Kingma & Welling 2014, eq. 10) with S draws per example, β-weighted KL
 * (Higgins et al. 2017) and free bits:
 *
 *   ELBO(x)  = (1/S) Σ_s log p(x|z_s) − KL(q(z|x) ‖ p(z)),       z_s ~ q(z|x)
 *   loss     = −(1/B) Σ_b (1/S) Σ_s log p(x_b|z_s) + β · KL_λ        (KL_λ: see free-bits.ts)
 *
 * Gradients. With the reparameterization z = μ + σ ⊙ ε the loss is differentiated as it is. With the
 * score-function estimator z is a constant for autodiff and the encoder's gradient of the
 * sample-dependent part f(z) comes from the surrogate
 *
 *   −(1/(SB)) Σ_{s,b} ⟂[f(z_s) − b_s] · log q_φ(z_s|x_b)           (⟂: stop-gradient)
 *
 * whose gradient is the likelihood-ratio estimate −E[(f − b) ∇_φ log q]. f is log p(x|z) (plus the KL
 * terms when the model's KL is itself a one-draw estimate); a closed-form KL keeps its exact gradient.
 * The decoder's gradient is the ordinary one either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { leaveOneOutBaseline } from './baseline.js';
import type { BoundLoss, LossOptions } from './bound.js';
import { klPenalty } from './free-bits.js';
import type { VariationalPass } from './pass.js';
import { stopGradient } from './stop-gradient.js';

/** Per-example ELBO, reconstruction term and KL (β = 1, no free bits): the bound itself, [B] each. */
export function elboPerExample(pass: VariationalPass): {
  elbo: tf.Tensor1D;
  reconstruction: tf.Tensor1D;
  kl: tf.Tensor1D;
} {
  return tf.tidy(() => {
    const reconstruction = tf.mean(pass.logLikelihood, 0) as tf.Tensor1D;
    const kl = tf.mean(tf.sum(pass.klPerDim, -1), 0) as tf.Tensor1D;
    return { elbo: tf.sub(reconstruction, kl), reconstruction, kl };
  });
}

export function elboLoss(pass: VariationalPass, options: LossOptions): BoundLoss {
  return tf.tidy(() => {
    const { beta } = options;
    const reconstruction = tf.mean(pass.logLikelihood) as tf.Scalar;
    const kl = tf.mean(tf.sum(pass.klPerDim, -1)) as tf.Scalar;
    const { penalty, active } = klPenalty(pass.klPerDim, options.freeBits);
    let loss = tf.sub(tf.mul(beta, penalty), reconstruction) as tf.Scalar;
    if (options.estimator === 'score-function') {
      let signal: tf.Tensor2D = pass.logLikelihood;
      if (pass.sampledKl) {
        // Only dimensions above the free-bits floor carry gradient, as in the reparameterized loss.
        signal = tf.sub(signal, tf.mul(beta, tf.sum(tf.mul(pass.klPerDim, active), -1))) as tf.Tensor2D;
      }
      const centred =
        options.baseline === 'leave-one-out' ? tf.sub(signal, leaveOneOutBaseline(signal)) : signal;
      loss = tf.sub(loss, tf.mean(tf.mul(stopGradient(centred), pass.logPosterior))) as tf.Scalar;
    }
    const metrics: Record<string, tf.Scalar> = {
      elbo: tf.sub(reconstruction, kl),
      recon: reconstruction,
      kl,
      beta: tf.scalar(beta),
    };
    if (options.freeBits > 0) metrics.klFreeBits = penalty;
    return { loss, metrics };
  });
}
