import { defineModel } from '@genzoo/core';
import { trainingOptionsOf } from '../common/config/settings.js';
import { vaeConfigSchema } from './config.js';
import { Vae } from './model.js';
import { vaeRecipes } from './recipes.js';

export const vaeDefinition = defineModel({
  name: 'vae',
  family: 'vae',
  description:
    'Variational autoencoder: Gaussian q(z|x), N(0, I) prior, MLP or conv networks, Bernoulli/Gaussian p(x|z)',
  likelihood: 'lowerBound',
  configSchema: vaeConfigSchema,
  create: (config, context) =>
    new Vae('vae', config, context, {
      bound: 'elbo',
      samples: config.samples,
      beta: 1,
      ...trainingOptionsOf(config),
    }),
  reproduce: vaeRecipes,
  paper: 'Kingma & Welling, Auto-Encoding Variational Bayes (ICLR 2014)',
});
