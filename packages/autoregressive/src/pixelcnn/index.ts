import { defineModel } from '@genzoo/core';
import { pixelcnnConfigSchema } from './config.js';
import { createPixelCnn } from './model.js';
import { pixelcnnRecipes } from './recipes.js';

export const pixelcnnDefinition = defineModel({
  name: 'pixelcnn',
  family: 'autoregressive',
  description:
    'PixelCNN: masked convolutions (type A, then type-B residual blocks); Bernoulli, 256-way softmax or PixelCNN++ logistic-mixture output',
  likelihood: 'exact',
  configSchema: pixelcnnConfigSchema,
  create: (config, context) => createPixelCnn('pixelcnn', config, context),
  reproduce: pixelcnnRecipes,
  paper: 'van den Oord, Kalchbrenner & Kavukcuoglu, Pixel Recurrent Neural Networks (ICML 2016)',
});
