import { defineModel } from '@genzoo/core';
import { __modelIdent__ConfigSchema } from './config.js';
import { __ModelClass__Model } from './model.js';
import { __modelIdent__Recipes } from './recipes.js';

/** The model as the registry sees it: name, family, likelihood kind, config schema, factory, recipes. */
export const __modelIdent__Definition = defineModel({
  name: '__MODEL_NAME__',
  family: 'gaussian',
  description: 'Diagonal Gaussian trained by gradient descent on the negative log-likelihood',
  likelihood: 'exact',
  configSchema: __modelIdent__ConfigSchema,
  create: (config, context) => new __ModelClass__Model('__MODEL_NAME__', config, context),
  reproduce: __modelIdent__Recipes,
});
