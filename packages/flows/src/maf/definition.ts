import { defineModel } from '@genzoo/core';
import { mafConfigSchema } from './config.js';
import { createMaf } from './model.js';
import { iafRecipes, mafRecipes } from './recipes.js';

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

export const iafDefinition = defineModel({
  name: 'iaf',
  family: 'flow',
  description: 'IAF: the MAF layers inverted; one pass per layer to sample, D for log p(x)',
  likelihood: 'exact',
  configSchema: mafConfigSchema,
  create: (config, context) => createMaf('iaf', config, context),
  reproduce: iafRecipes,
  paper:
    'Kingma, Salimans, Jozefowicz, Chen, Sutskever & Welling, Improved Variational Inference with Inverse Autoregressive Flow (NeurIPS 2016)',
});
