/** Config keys shared by the one-stochastic-layer models (vae, beta-vae, cvae, iwae). */
import { z } from 'zod';
import { likelihoodSchema } from './likelihood.js';
import { networkSchema } from './network.js';
import { trainingOptionsShape } from './training.js';

export const singleLayerShape = {
  /** Dimension of z; q(z|x) = N(μ(x), diag σ²(x)), p(z) = N(0, I). */
  latentDim: z.number().int().positive().default(20),
  network: networkSchema,
  likelihood: likelihoodSchema,
  /** What `sample` returns: the mean of p(x|z) (images as usually shown), or a draw x ~ p(x|z). */
  sampleOutput: z.enum(['mean', 'draw']).default('mean'),
  ...trainingOptionsShape,
};

/** Latent samples per example in the ELBO (Kingma & Welling 2014, eq. 7: L samples; default 1). */
export const elboSamples = z.number().int().positive().default(1);
