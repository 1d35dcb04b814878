import { defineModel } from '@genzoo/core';
import { cganConfigSchema } from './config.js';
import { ConditionalAdversarialModel } from './model.js';
import { cganRecipes } from './recipes.js';

export const cganDefinition = defineModel({
  name: 'cgan',
  family: 'gan',
  description:
    'Class-conditional GAN: label embedding in the generator, projection discriminator; sample(n, { condition })',
  likelihood: 'none',
  configSchema: cganConfigSchema,
  create: (config, context) =>
    new ConditionalAdversarialModel('cgan', config, context, {
      loss: config.loss,
      criticSteps: config.discriminatorSteps,
      embeddingDim: config.embeddingDim,
    }),
  reproduce: cganRecipes,
  paper:
    'Mirza & Osindero, Conditional Generative Adversarial Nets (2014); Miyato & Koyama, cGANs with Projection Discriminator (ICLR 2018)',
});
