import { defineModel } from '@genzoo/core';
import { pixelVaeConfigSchema } from './config.js';
import { PixelVae } from './model.js';
import { pixelVaeRecipes } from './recipes.js';

export const pixelVaeDefinition = defineModel({
  name: 'pixel-vae',
  family: 'vq-vae',
  description:
    'PixelVAE / VLAE: Gaussian latent z, a Gated PixelCNN decoder conditioned on a map decoded from z; its receptive field decides what z keeps',
  likelihood: 'lowerBound',
  configSchema: pixelVaeConfigSchema,
  create: (config, context) => new PixelVae('pixel-vae', config, context),
  reproduce: pixelVaeRecipes,
  paper: 'Gulrajani et al., PixelVAE (ICLR 2017); Chen et al., Variational Lossy Autoencoder (ICLR 2017)',
});
