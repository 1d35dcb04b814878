import { defineModel } from '@genzoo/core';
import { mafConfigSchema } from './config.js';
import { createMaf } from './model.js';
import { mafRecipes } from './recipes.js';

export const mafDefinition = defineModel({
  name: 'maf',
  family: 'flow',
  description:
    'MAF: masked affine autoregressive layers (MADE conditioners); one pass per layer for log p(x), D to sample',
  likelihood: 'exact',
  configSchema: mafConfigSchema,
  create: (config, context) => createMaf('maf', config, context),
  reproduce: mafRecipes,
  paper: 'Papamakarios, Pavlakou & Murray, Masked Autoregressive Flow for Density Estimation (NeurIPS 2017)',
});
