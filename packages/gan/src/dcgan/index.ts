import { defineModel } from '@genzoo/core';
import { dcganConfigSchema } from './config.js';
import { createDcgan } from './model.js';
import { dcganRecipes } from './recipes.js';

export const dcganDefinition = defineModel({
  name: 'dcgan',
  family: 'gan',
  description:
    'DCGAN: transposed-convolution generator with batch norm, strided-convolution discriminator with leaky ReLU',
  likelihood: 'none',
  configSchema: dcganConfigSchema,
  create: (config, context) => createDcgan(config, context),
  reproduce: dcganRecipes,
  paper:
    'Radford, Metz & Chintala, Unsupervised Representation Learning with Deep Convolutional GANs (ICLR 2016)',
});
