import { defineModel } from '@genzoo/core';
import { AdversarialModel } from '../models/adversarial-model.js';
import { dcganConfigSchema } from './config.js';
import { dcganRecipes } from './recipes.js';

export const dcganDefinition = defineModel({
  name: 'dcgan',
  family: 'gan',
  description:
    'DCGAN: transposed-convolution generator with batch norm, strided-convolution discriminator with leaky ReLU',
  likelihood: 'none',
  configSchema: dcganConfigSchema,
  create: (config, context) =>
    new AdversarialModel('dcgan', config, context, {
      loss: config.loss,
      criticSteps: config.discriminatorSteps,
    }),
  reproduce: dcganRecipes,
  paper:
    'Radford, Metz & Chintala, Unsupervised Representation Learning with Deep Convolutional GANs (ICLR 2016)',
});
