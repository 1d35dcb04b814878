import { defineModel } from '@genzoo/core';
import { vqVae2PriorConfigSchema } from './config.js';
import { TwoStageVqVae2 } from './model.js';
import { vqVae2PriorRecipes } from './recipes.js';

export const vqVae2PriorDefinition = defineModel({
  name: 'vq-vae-2-prior',
  family: 'vq-vae',
  description:
    'Two-stage VQ-VAE-2: a trained VQ-VAE-2 (vqvae=<run>, frozen), a Gated PixelCNN prior over its top codes and one over its bottom codes given the top; samples decode through the VQ-VAE-2',
  likelihood: 'lowerBound',
  configSchema: vqVae2PriorConfigSchema,
  create: (config, context) => new TwoStageVqVae2('vq-vae-2-prior', config, context),
  reproduce: vqVae2PriorRecipes,
  paper:
    'Razavi, van den Oord & Vinyals, Generating Diverse High-Fidelity Images with VQ-VAE-2 (NeurIPS 2019), §3.2 and Alg. 2',
});
