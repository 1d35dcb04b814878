import { defineModel } from '@genzoo/core';
import { biganConfigSchema } from './config.js';
import { Bigan } from './model.js';
import { biganRecipes } from './recipes.js';

export const biganDefinition = defineModel({
  name: 'bigan',
  family: 'gan',
  description:
    'BiGAN: encoder E, generator G and a discriminator of (x, z) pairs; encode(x) = E(x), G(E(x)) reconstructs',
  likelihood: 'none',
  configSchema: biganConfigSchema,
  create: (config, context) => new Bigan(config, context),
  reproduce: biganRecipes,
  paper: 'Donahue, Krähenbühl & Darrell, Adversarial Feature Learning (ICLR 2017)',
});
