import { defineModel } from '@genzoo/core';
import { trainingOptionsOf } from '../common/config/settings.js';
import { cvaeConfigSchema } from './config.js';
import { ConditionalVae } from './model.js';
import { cvaeRecipes } from './recipes.js';

export const cvaeDefinition = defineModel({
  name: 'cvae',
  family: 'vae',
  description: 'Conditional VAE: one-hot class labels fed to encoder and decoder; samples a chosen class',
  likelihood: 'lowerBound',
  configSchema: cvaeConfigSchema,
  create: (config, context) =>
    new ConditionalVae('cvae', config, context, {
      bound: 'elbo',
      samples: config.samples,
      beta: 1,
      ...trainingOptionsOf(config),
    }),
  reproduce: cvaeRecipes,
  paper:
    'Sohn, Lee & Yan, Learning Structured Output Representation using Deep Conditional Generative Models (NeurIPS 2015)',
});
