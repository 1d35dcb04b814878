/**
 * What one forward pass of a VAE gives the objectives: for S latent draws z_s ~ q(z|x) per example of a
 * batch of B, the terms of the log importance weight
 *
 *   log w_s = log p(x|z_s) + log p(z_s) − log q(z_s|x)
 *
 * and a per-dimension KL, closed-form where the model has it. All tensors belong to the caller's tidy.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface PassOptions {
  /** Latent draws per example, S. */
  samples: number;
  seed: number;
  /** One-hot labels [B, C] for conditional models. */
  condition?: tf.Tensor2D;
  /**
   * `true`: z = μ + σ ⊙ ε carries gradients to the encoder (reparameterization); `false`: z is drawn
   * without gradients, so the encoder's parameters enter only through the densities evaluated at z (the
   * score-function estimator, and evaluation).
   */
  reparameterize: boolean;
}

export interface VariationalPass {
  /** log p(x|z_s), [S, B]. */
  logLikelihood: tf.Tensor2D;
  /** log p(z_s) − log q(z_s|x) over all latent variables, [S, B]. */
  logRatio: tf.Tensor2D;
  /** log q(z_s|x) at the drawn z_s, [S, B]: the score function's log-density. */
  logPosterior: tf.Tensor2D;
  /**
   * KL(q‖p) per latent dimension, [S or 1, B, Z]: closed form where the model has it (then constant over
   * draws, S = 1), otherwise the one-draw estimate log q(z_j|·) − log p(z_j|·). Σ_j is the ELBO's KL term.
   */
  klPerDim: tf.Tensor3D;
  /** Whether `klPerDim` depends on the drawn z (so its encoder gradient needs the score function too). */
  sampledKl: boolean;
}
