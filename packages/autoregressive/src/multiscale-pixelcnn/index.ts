import { defineModel } from '@genzoo/core';
import { multiscalePixelcnnConfigSchema } from './config.js';
import { createMultiscalePixelCnn } from './model.js';
import { multiscalePixelcnnRecipes } from './recipes.js';

export const multiscalePixelcnnDefinition = defineModel({
  name: 'multiscale-pixelcnn',
  family: 'autoregressive',
  description:
    'Multiscale PixelCNN: a PixelCNN on the subsampled base image, then per level three groups of pixels each drawn at once by unmasked networks (binary images)',
  likelihood: 'exact',
  configSchema: multiscalePixelcnnConfigSchema,
  create: (config, context) => createMultiscalePixelCnn('multiscale-pixelcnn', config, context),
  reproduce: multiscalePixelcnnRecipes,
  paper:
    'Reed, van den Oord, Kalchbrenner, Gómez Colmenarejo, Wang, Chen, Belov & de Freitas, Parallel Multiscale Autoregressive Density Estimation (ICML 2017)',
});
