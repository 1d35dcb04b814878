import { defineModel } from '@genzoo/core';
import { mafConfigSchema } from '../maf/config.js';
import { createIaf } from './model.js';
import { iafRecipes } from './recipes.js';

export const iafDefinition = defineModel({
  name: 'iaf',
  family: 'flow',
  description: 'IAF: the MAF layers inverted; one pass per layer to sample, D for log p(x)',
  likelihood: 'exact',
  configSchema: mafConfigSchema,
  create: createIaf,
  reproduce: iafRecipes,
  paper:
    'Kingma, Salimans, Jozefowicz, Chen, Sutskever & Welling, Improved Variational Inference with Inverse Autoregressive Flow (NeurIPS 2016)',
});
