import { defineModel } from '@genzoo/core';
import { gatedPixelcnnConfigSchema } from './config.js';
import { createGatedPixelCnn } from './model.js';
import { gatedPixelcnnRecipes } from './recipes.js';

export const gatedPixelcnnDefinition = defineModel({
  name: 'gated-pixelcnn',
  family: 'autoregressive',
  description:
    'Gated PixelCNN: vertical and horizontal stacks without the blind spot, tanh·sigmoid gates, optional class conditioning',
  likelihood: 'exact',
  configSchema: gatedPixelcnnConfigSchema,
  create: (config, context) => createGatedPixelCnn('gated-pixelcnn', config, context),
  reproduce: gatedPixelcnnRecipes,
  paper: 'van den Oord et al., Conditional Image Generation with PixelCNN Decoders (NeurIPS 2016)',
});
