import { defineModel } from '@genzoo/core';
import { nadeConfigSchema } from './config.js';
import { Nade } from './model.js';
import { nadeRecipes } from './recipes.js';

export const nadeDefinition = defineModel({
  name: 'nade',
  family: 'autoregressive',
  description: 'NADE: binary conditionals from one shared hidden layer, computed for all dimensions in O(DH)',
  likelihood: 'exact',
  configSchema: nadeConfigSchema,
  create: (config, context) => new Nade('nade', config, context),
  reproduce: nadeRecipes,
  paper: 'Larochelle & Murray, The Neural Autoregressive Distribution Estimator (AISTATS 2011)',
});
