import { defineModel } from '@genzoo/core';
import { iwaeConfigSchema } from './config.js';
import { createIwae } from './model.js';
import { iwaeRecipes } from './recipes.js';

export const iwaeDefinition = defineModel({
  name: 'iwae',
  family: 'vae',
  description:
    'Importance-weighted autoencoder: the VAE trained on the k-sample bound log (1/k) Σ p(x,z_k)/q(z_k|x)',
  likelihood: 'lowerBound',
  configSchema: iwaeConfigSchema,
  create: createIwae,
  reproduce: iwaeRecipes,
  paper: 'Burda, Grosse & Salakhutdinov, Importance Weighted Autoencoders (ICLR 2016)',
});
