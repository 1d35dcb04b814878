import { defineModel } from '@genzoo/core';
import { gmmConfigSchema } from './config.js';
import { GaussianMixture } from './model.js';
import { gmmRecipes } from './recipes.js';

export const gmmDefinition = defineModel({
  name: 'gmm',
  family: 'mixture',
  description:
    'Gaussian mixture, full or diagonal covariance, fitted by EM (k-means++ init) or by gradient ascent',
  likelihood: 'exact',
  configSchema: gmmConfigSchema,
  create: (config, context) => new GaussianMixture('gmm', config, context),
  reproduce: gmmRecipes,
  paper: 'Dempster, Laird & Rubin, Maximum Likelihood from Incomplete Data via the EM Algorithm (1977)',
});
