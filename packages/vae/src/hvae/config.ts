import { CONFIG_SIZE_LIMITS } from '@genzoo/core';
import { z } from 'zod';
import { likelihoodSchema } from '../common/config/likelihood.js';
import { activationSchema, hiddenSizes } from '../common/config/network.js';
import { latentDraws } from '../common/config/single-layer.js';
import { checkFreeBits, trainingOptionsShape } from '../common/config/training.js';

const latentSize = z.number().int().positive().max(CONFIG_SIZE_LIMITS.latent);

/** Two-stochastic-layer VAE configuration; the defaults are the IWAE paper's two-layer architecture. */
export const hvaeConfigSchema = z
  .strictObject({
    /** Dimensions of [z₁, z₂]. */
    latentDims: z.tuple([latentSize, latentSize]).default([100, 50]),
    /** Hidden sizes of the inference networks [x → z₁, z₁ → z₂]; the generative networks mirror them. */
    hidden: z.tuple([hiddenSizes, hiddenSizes]).default([
      [100, 100],
      [50, 50],
    ]),
    activation: activationSchema.default('tanh'),
    likelihood: likelihoodSchema,
    /** `elbo`: the average of log w over k draws; `iwae`: log (1/k) Σ w over k draws. */
    bound: z.enum(['elbo', 'iwae']).default('elbo'),
    /** Latent draws per example in the bound. */
    k: latentDraws(1),
    /** What `sample` returns: the mean of p(x|z₁), or a draw. */
    sampleOutput: z.enum(['mean', 'draw']).default('mean'),
    ...trainingOptionsShape,
  })
  .superRefine((config, ctx) => checkFreeBits(config, config.bound, ctx));

export type HvaeConfig = z.infer<typeof hvaeConfigSchema>;
