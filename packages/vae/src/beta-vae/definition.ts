/**
 * β-VAE (Higgins et al., "β-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework",
 * ICLR 2017): the VAE trained on
 *
 *   E_q[log p(x|z)] − β · KL(q(z|x) ‖ p(z))
 *
 * which for β > 1 is no longer a bound on log p(x); the model still reports the true ELBO (β = 1) and the
 * importance-sampled log p(x).
 */
import { defineModel } from '@genzoo/core';
import { trainingOptionsOf } from '../config/settings.js';
import { Vae } from '../models/vae.js';
import { betaVaeConfigSchema } from './config.js';
import { betaVaeRecipes } from './recipes.js';

export const betaVaeDefinition = defineModel({
  name: 'beta-vae',
  family: 'vae',
  description: 'β-VAE: the VAE with its KL term weighted by β (disentangling; β = 1 is the VAE)',
  likelihood: 'lowerBound',
  configSchema: betaVaeConfigSchema,
  create: (config, context) =>
    new Vae('beta-vae', config, context, {
      bound: 'elbo',
      samples: config.samples,
      beta: config.beta,
      ...trainingOptionsOf(config),
    }),
  reproduce: betaVaeRecipes,
  paper:
    'Higgins et al., β-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework (ICLR 2017)',
});
