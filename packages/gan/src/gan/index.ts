import { defineModel } from '@genzoo/core';
import { ganConfigSchema } from './config.js';
import { AdversarialModel } from './model.js';
import { ganRecipes } from './recipes.js';

export const ganDefinition = defineModel({
  name: 'gan',
  family: 'gan',
  description: 'GAN: MLP generator and discriminator, minimax or non-saturating generator loss',
  likelihood: 'none',
  configSchema: ganConfigSchema,
  create: (config, context) =>
    new AdversarialModel('gan', config, context, {
      loss: config.loss,
      criticSteps: config.discriminatorSteps,
    }),
  reproduce: ganRecipes,
  paper: 'Goodfellow et al., Generative Adversarial Nets (NeurIPS 2014)',
});
