import { defineModel } from '@genzoo/core';
import { trainingOptionsOf } from '../config/settings.js';
import { Vae } from '../models/vae.js';
import { iwaeConfigSchema } from './config.js';
import { iwaeRecipes } from './recipes.js';

/** The VAE's model trained on the k-sample importance-weighted bound (see objectives/iwae.ts). */
export const iwaeDefinition = defineModel({
  name: 'iwae',
  family: 'vae',
  description:
    'Importance-weighted autoencoder: the VAE trained on the k-sample bound log (1/k) Σ p(x,z_k)/q(z_k|x)',
  likelihood: 'lowerBound',
  configSchema: iwaeConfigSchema,
  create: (config, context) =>
    new Vae('iwae', config, context, {
      bound: 'iwae',
      samples: config.k,
      beta: 1,
      ...trainingOptionsOf(config),
    }),
  reproduce: iwaeRecipes,
  paper: 'Burda, Grosse & Salakhutdinov, Importance Weighted Autoencoders (ICLR 2016)',
});
