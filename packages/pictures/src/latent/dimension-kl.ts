/**
 * How much each latent dimension is used: the KL divergence of its posterior from the prior, averaged
 * over examples. For q(z_i|x) = N(μ_i, σ_i²) and p(z_i) = N(0, 1),
 *
 *   KL_i(x) = ½ (μ_i² + σ_i² − 1 − ln σ_i²),
 *
 * the per-dimension term of the ELBO's KL. Dimensions the model ignores collapse to the prior (KL ≈ 0);
 * informative ones have small posterior variance and spread-out means (Higgins et al. 2017 and Burgess et
 * al. 2018 rank β-VAE latents this way).
 */
import type * as tf from '@tensorflow/tfjs-core';
import {
  checkLatentCondition,
  type ExplorableModel,
  encodePosterior,
  exampleCount,
  type HostPosterior,
} from './codes.js';

/** Per-dimension KL of a host posterior, averaged over its examples, in nats. */
export function posteriorKlPerDimension(posterior: HostPosterior, latentDim: number): number[] {
  const kl = new Array<number>(latentDim).fill(0);
  for (let n = 0; n < posterior.n; n++) {
    for (let i = 0; i < latentDim; i++) {
      const mu = posterior.mean[n * latentDim + i];
      const variance = posterior.stddev[n * latentDim + i] ** 2;
      kl[i] += 0.5 * (mu * mu + variance - 1 - Math.log(variance));
    }
  }
  return kl.map((v) => v / posterior.n);
}

/**
 * Average KL(q(z_i|x) ‖ N(0, 1)) over the examples x ([n, ...eventShape]) for every latent dimension i, in
 * nats. `condition`: one-hot [1, numClasses] or [n, numClasses] for conditional models.
 */
export function latentDimensionKl(
  model: ExplorableModel,
  x: tf.Tensor,
  options: { condition?: tf.Tensor2D } = {},
): number[] {
  const n = exampleCount(model, x, 'latentDimensionKl: x');
  checkLatentCondition(model, options.condition, n, 'latentDimensionKl');
  return posteriorKlPerDimension(encodePosterior(model, x, n, options.condition), model.latentDim);
}
