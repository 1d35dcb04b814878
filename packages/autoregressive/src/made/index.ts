import { defineModel } from '@genzoo/core';
import { madeConfigSchema } from './config.js';
import { Made } from './model.js';
import { madeRecipes } from './recipes.js';

export const madeDefinition = defineModel({
  name: 'made',
  family: 'autoregressive',
  description:
    'MADE: a masked MLP gives every conditional in one pass; mask ensembles, random orders, binary or real outputs, class context',
  likelihood: 'exact',
  configSchema: madeConfigSchema,
  create: (config, context) => new Made('made', config, context),
  reproduce: madeRecipes,
  paper:
    'Germain, Gregor, Murray & Larochelle, MADE: Masked Autoencoder for Distribution Estimation (ICML 2015)',
});
