import { defineModel } from '@genzoo/core';
import { AdversarialModel } from '../gan/model.js';
import { wganGpConfigSchema } from './config.js';
import { gradientPenaltyConstraint } from './model.js';
import { wganGpRecipes } from './recipes.js';

export const wganGpDefinition = defineModel({
  name: 'wgan-gp',
  family: 'gan',
  description:
    'WGAN-GP: Wasserstein critic with the gradient penalty λ(‖∇D(x̂)‖₂ − 1)² on random interpolates',
  likelihood: 'none',
  configSchema: wganGpConfigSchema,
  create: (config, context) =>
    new AdversarialModel('wgan-gp', config, context, {
      loss: 'wasserstein',
      criticSteps: config.discriminatorSteps,
      constraint: gradientPenaltyConstraint(config.penaltyWeight),
    }),
  reproduce: wganGpRecipes,
  paper: 'Gulrajani et al., Improved Training of Wasserstein GANs (NeurIPS 2017)',
});
