import { defineModel } from '@genzoo/core';
import { betaVaeConfigSchema } from './config.js';
import { createBetaVae } from './model.js';
import { betaVaeRecipes } from './recipes.js';

export const betaVaeDefinition = defineModel({
  name: 'beta-vae',
  family: 'vae',
  description: 'β-VAE: the VAE with its KL term weighted by β (disentangling; β = 1 is the VAE)',
  likelihood: 'lowerBound',
  configSchema: betaVaeConfigSchema,
  create: createBetaVae,
  reproduce: betaVaeRecipes,
  paper:
    'Higgins et al., β-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework (ICLR 2017)',
});
