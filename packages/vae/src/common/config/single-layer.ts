/** Config keys shared by the one-stochastic-layer models (vae, beta-vae, cvae, iwae). */
import { CONFIG_SIZE_LIMITS } from '@genzoo/core';
import { z } from 'zod';
import { likelihoodSchema } from './likelihood.js';
import { networkSchema } from './network.js';
import { trainingOptionsShape } from './training.js';

export const singleLayerShape = {
  /** Dimension of z; q(z|x) = N(μ(x), diag σ²(x)), p(z) = N(0, I). */
  latentDim: z.number().int().positive().max(CONFIG_SIZE_LIMITS.latent).default(20),
  network: networkSchema,
  likelihood: likelihoodSchema,
  /** What `sample` returns: the mean of p(x|z) (images as usually shown), or a draw x ~ p(x|z). */
  sampleOutput: z.enum(['mean', 'draw']).default('mean'),
  ...trainingOptionsShape,
};

/** Latent samples per example in the ELBO (Kingma & Welling 2014, eq. 7: L samples; default 1). */
export const elboSamples = latentDraws(1);

/** A number of latent draws per example (L of the ELBO, k of the importance-weighted bound). */
export function latentDraws(fallback: number) {
  return z.number().int().positive().max(CONFIG_SIZE_LIMITS.samples).default(fallback);
}
