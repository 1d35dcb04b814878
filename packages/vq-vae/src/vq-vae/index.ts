import { defineModel } from '@genzoo/core';
import { vqVaeConfigSchema } from './config.js';
import { VqVae } from './model.js';
import { vqVaeRecipes } from './recipes.js';

export const vqVaeDefinition = defineModel({
  name: 'vq-vae',
  family: 'vq-vae',
  description:
    'Vector-quantized VAE: conv encoder, K-code codebook (loss or EMA updates), straight-through gradient, uniform code prior',
  likelihood: 'lowerBound',
  configSchema: vqVaeConfigSchema,
  create: (config, context) => new VqVae('vq-vae', config, context),
  reproduce: vqVaeRecipes,
  paper: 'van den Oord, Vinyals & Kavukcuoglu, Neural Discrete Representation Learning (NeurIPS 2017)',
});
