import { defineModel } from '@genzoo/core';
import { vqVae2ConfigSchema } from './config.js';
import { VqVae2 } from './model.js';
import { vqVae2Recipes } from './recipes.js';

export const vqVae2Definition = defineModel({
  name: 'vq-vae-2',
  family: 'vq-vae',
  description:
    'Hierarchical VQ-VAE: top and bottom code maps (the bottom encoder reads the top codes), EMA codebooks, uniform code priors',
  likelihood: 'lowerBound',
  configSchema: vqVae2ConfigSchema,
  create: (config, context) => new VqVae2('vq-vae-2', config, context),
  reproduce: vqVae2Recipes,
  paper:
    'Razavi, van den Oord & Vinyals, Generating Diverse High-Fidelity Images with VQ-VAE-2 (NeurIPS 2019)',
});
