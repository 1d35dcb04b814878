import { defineModel } from '@genzoo/core';
import { trainingOptionsOf } from '../common/config/settings.js';
import { hvaeConfigSchema } from './config.js';
import { TwoLayerVae } from './model.js';
import { hvaeRecipes } from './recipes.js';

export const hvaeDefinition = defineModel({
  name: 'hvae',
  family: 'vae',
  description: 'Two-stochastic-layer VAE (IWAE paper architecture), trained with the ELBO or the IWAE bound',
  likelihood: 'lowerBound',
  configSchema: hvaeConfigSchema,
  create: (config, context) =>
    new TwoLayerVae('hvae', config, context, {
      bound: config.bound,
      samples: config.k,
      beta: 1,
      ...trainingOptionsOf(config),
    }),
  reproduce: hvaeRecipes,
  paper: 'Burda, Grosse & Salakhutdinov, Importance Weighted Autoencoders (ICLR 2016), two-layer model',
});
