import { defineModel } from '@genzoo/core';
import { ppcaConfigSchema } from './config.js';
import { ProbabilisticPca } from './model.js';
import { ppcaRecipes } from './recipes.js';

export const ppcaDefinition = defineModel({
  name: 'ppca',
  family: 'latent-linear',
  description: 'Probabilistic PCA with exact likelihood and posterior, fitted in closed form or by EM',
  likelihood: 'exact',
  configSchema: ppcaConfigSchema,
  create: (config, context) => new ProbabilisticPca('ppca', config, context),
  reproduce: ppcaRecipes,
  paper: 'Tipping & Bishop, Probabilistic Principal Component Analysis (1999)',
});
