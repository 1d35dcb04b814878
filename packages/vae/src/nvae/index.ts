import { defineModel } from '@genzoo/core';
import { nvaeConfigSchema } from './config.js';
import { Nvae } from './model.js';
import { nvaeRecipes } from './recipes.js';

export const nvaeDefinition = defineModel({
  name: 'nvae',
  family: 'vae',
  description:
    'NVAE: hierarchical groups of latent maps at several scales, bidirectional encoder, residual cells with SE, residual-normal posteriors',
  likelihood: 'lowerBound',
  configSchema: nvaeConfigSchema,
  create: (config, context) => new Nvae(config, context),
  reproduce: nvaeRecipes,
  paper: 'Vahdat & Kautz, NVAE: A Deep Hierarchical Variational Autoencoder (NeurIPS 2020)',
  // samples-temperatures.png after training: the paper's reduced temperatures beside T = 1.
  sampleTemperatures: [1, 0.8, 0.6],
});
