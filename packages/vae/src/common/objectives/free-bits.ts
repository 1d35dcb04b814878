/**
 * Free bits (Kingma et al. 2016, IAF, App. C.8): with KL_j the KL of latent dimension j averaged over the
 * batch (and the latent draws),
 *
 *   KL_λ = Σ_j max(λ, KL_j)
 *
 * replaces Σ_j KL_j in the training objective, so a dimension whose KL is below λ nats gets no gradient
 * pushing it further towards the prior. λ = 0 gives the ordinary KL term.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KlPenalty {
  /** The (floored) KL term, a scalar in nats per example. */
  penalty: tf.Scalar;
  /** 1 for dimensions above the floor (which receive gradient), 0 below, [Z]; all ones when λ = 0. */
  active: tf.Tensor1D;
}

/** `klPerDim` [S or 1, B, Z]. */
export function klPenalty(klPerDim: tf.Tensor3D, freeBits: number): KlPenalty {
  return tf.tidy(() => {
    const perDim = tf.mean(klPerDim, [0, 1]) as tf.Tensor1D;
    if (freeBits <= 0) return { penalty: tf.sum(perDim) as tf.Scalar, active: tf.onesLike(perDim) };
    return {
      penalty: tf.sum(tf.maximum(perDim, freeBits)) as tf.Scalar,
      active: tf.cast(tf.greater(perDim, freeBits), 'float32') as tf.Tensor1D,
    };
  });
}
