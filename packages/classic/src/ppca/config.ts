import { CONFIG_SIZE_LIMITS } from '@genzoo/core';
import { z } from 'zod';

/** Probabilistic PCA configuration; every key has a default, unknown keys are errors. */
export const ppcaConfigSchema = z.strictObject({
  /** Latent dimension q (< D, the data dimension), bounded by core's limit on sizes that multiply into memory. */
  latentDim: z.number().int().positive().max(CONFIG_SIZE_LIMITS.latent).default(32),
  /** 'closed-form': maximum likelihood from the sample covariance's eigen-decomposition in one step; 'em': one EM iteration per step. */
  fit: z.enum(['closed-form', 'em']).default('closed-form'),
  /** Floor on the isotropic noise variance σ², for data whose covariance has rank ≤ q. */
  minVariance: z.number().positive().default(1e-6),
});

export type PpcaConfig = z.infer<typeof ppcaConfigSchema>;
