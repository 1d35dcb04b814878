import { defineModel } from '@genzoo/core';
import { cycleganConfigSchema } from './config.js';
import { Cyclegan } from './model.js';
import { cycleganRecipes } from './recipes.js';

export const cycleganDefinition = defineModel({
  name: 'cyclegan',
  family: 'gan',
  description:
    'CycleGAN: generators G: A → B and F: B → A with PatchGAN discriminators, trained on unpaired domain pairs with a cycle-consistency loss; translate(x, direction)',
  likelihood: 'none',
  configSchema: cycleganConfigSchema,
  create: (config, context) => new Cyclegan(config, context),
  reproduce: cycleganRecipes,
  paper:
    'Zhu, Park, Isola & Efros, Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks (ICCV 2017)',
});
