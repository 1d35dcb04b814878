import { defineModel } from '@genzoo/core';
import { niceConfigSchema } from './config.js';
import { createNice } from './model.js';
import { niceRecipes } from './recipes.js';

export const niceDefinition = defineModel({
  name: 'nice',
  family: 'flow',
  description:
    'NICE: additive (volume-preserving) couplings with MLP conditioners and a final diagonal scaling',
  likelihood: 'exact',
  configSchema: niceConfigSchema,
  create: createNice,
  reproduce: niceRecipes,
  paper: 'Dinh, Krueger & Bengio, NICE: Non-linear Independent Components Estimation (ICLR 2015 workshop)',
});
