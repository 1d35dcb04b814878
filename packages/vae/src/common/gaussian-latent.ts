/**
 * Diagonal Gaussian latent layers: a network's 2d outputs read as [μ, log σ], and the standard normal
 * prior's log-density, log N(z; 0, I) = Σ_j −½ z_j² − ½ ln 2π.
 */
import { Normal } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** N(μ, diag σ²) from [..., 2d] outputs [μ, log σ]; log σ is used as is (exact log-densities and KL). */
export function gaussianFromOutputs(outputs: tf.Tensor): Normal {
  const [mean, logScale] = tf.split(outputs, 2, -1);
  return Normal.fromLogScale(mean, logScale);
}

/** log N(z; 0, I) summed over the last axis. */
export function standardNormalLogProb(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(-0.5, tf.sum(tf.square(z), -1)), z.shape[z.rank - 1] * HALF_LOG_2PI));
}
