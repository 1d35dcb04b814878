import { defineModel } from '@genzoo/core';
import { AdversarialModel } from '../gan/model.js';
import { wganConfigSchema } from './config.js';
import { weightClipping } from './model.js';
import { wganRecipes } from './recipes.js';

export const wganDefinition = defineModel({
  name: 'wgan',
  family: 'gan',
  description:
    'Wasserstein GAN: critic without sigmoid, weight clipping, n_critic critic steps per generator step, RMSProp',
  likelihood: 'none',
  configSchema: wganConfigSchema,
  create: (config, context) =>
    new AdversarialModel('wgan', config, context, {
      loss: 'wasserstein',
      criticSteps: config.discriminatorSteps,
      constraint: weightClipping(config.clip),
    }),
  reproduce: wganRecipes,
  paper: 'Arjovsky, Chintala & Bottou, Wasserstein Generative Adversarial Networks (ICML 2017)',
});
