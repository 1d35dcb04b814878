/**
 * WGAN-GP (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"): the WGAN critic of
 * wgan/model.ts with the weight clipping replaced by a gradient penalty in the critic's loss (Alg. 1),
 *
 *   L = E_z[D(G(z))] − E_x[D(x)] + GP,
 *
 * given to the GAN as its critic constraint (`gradientPenaltyConstraint`), whose term the discriminator
 * objective (gan/model.ts) adds to the critic's loss. The gradient penalty:
 *
 *   x̂ = ε·x + (1 − ε)·G(z),   ε ~ U[0, 1] per example
 *   GP = λ · E_x̂ [(‖∇_x̂ D(x̂)‖₂ − 1)²]
 *
 * A 1-Lipschitz critic that is optimal has gradient norm 1 almost everywhere on the lines between data
 * and generated points, so the penalty enforces the constraint softly where it matters. Minimizing GP
 * w.r.t. the critic's weights differentiates a gradient (second order); @genzoo/core registers the
 * second-order gradients tfjs lacks, so this runs on wasm and cpu alike. The critic's rows must be
 * independent (no batch norm): then ∇_x̂ Σ_i D(x̂_i) holds every per-example gradient at once.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CriticConstraint } from '../gan/model.js';

export interface PenaltyTerms {
  /** λ·E(‖∇D(x̂)‖ − 1)². */
  penalty: tf.Scalar;
  /** E‖∇D(x̂)‖, for the logs. */
  gradientNorm: tf.Scalar;
}

/** The penalty at random interpolates of `real` and `fake` (same shape), ε drawn with `seed`. */
export function gradientPenalty(
  critic: (x: tf.Tensor) => tf.Tensor1D,
  real: tf.Tensor,
  fake: tf.Tensor,
  weight: number,
  seed: number,
): PenaltyTerms {
  const n = real.shape[0];
  const epsilon = tf.randomUniform([n, ...real.shape.slice(1).map(() => 1)], 0, 1, 'float32', seed);
  const interpolates = tf.add(fake, tf.mul(epsilon, tf.sub(real, fake)));
  const gradients = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(interpolates);
  const axes = gradients.shape.slice(1).map((_, i) => i + 1);
  // The 1e-12 keeps the norm's own gradient finite where ∇D(x̂) = 0.
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradients), axes), 1e-12));
  return {
    penalty: tf.mul(weight, tf.mean(tf.square(tf.sub(norms, 1)))) as tf.Scalar,
    gradientNorm: tf.mean(norms) as tf.Scalar,
  };
}

/** WGAN-GP's critic constraint: λ·GP added to the critic's loss, logged with E‖∇D(x̂)‖. */
export function gradientPenaltyConstraint(weight: number): CriticConstraint {
  return {
    penalty: {
      objective: 'critic-gradient-penalty',
      terms: (critic, real, fake, seed) => {
        const { penalty, gradientNorm } = gradientPenalty(critic, real, fake, weight, seed);
        return {
          loss: penalty,
          metrics: { gradientPenalty: penalty, interpolateGradientNorm: gradientNorm },
        };
      },
    },
  };
}
