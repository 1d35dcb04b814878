import { defineModel } from '@genzoo/core';
import { vqVaePriorConfigSchema } from './config.js';
import { TwoStageVqVae } from './model.js';
import { vqVaePriorRecipes } from './recipes.js';

export const vqVaePriorDefinition = defineModel({
  name: 'vq-vae-prior',
  family: 'vq-vae',
  description:
    'Two-stage VQ-VAE: a trained VQ-VAE (vqvae=<run>, frozen) and a (Gated) PixelCNN prior over its codes; samples decode through the VQ-VAE',
  likelihood: 'lowerBound',
  configSchema: vqVaePriorConfigSchema,
  create: (config, context) => new TwoStageVqVae('vq-vae-prior', config, context),
  reproduce: vqVaePriorRecipes,
  paper: 'van den Oord, Vinyals & Kavukcuoglu, Neural Discrete Representation Learning (NeurIPS 2017), §3.2',
});
