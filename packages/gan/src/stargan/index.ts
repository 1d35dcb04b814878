import { defineModel } from '@genzoo/core';
import { starganConfigSchema } from './config.js';
import { Stargan } from './model.js';
import { starganRecipes } from './recipes.js';

export const starganDefinition = defineModel({
  name: 'stargan',
  family: 'gan',
  description:
    'StarGAN: one generator G(x, c) for K domains (one-hot target channels), a PatchGAN critic with a domain-classification head, WGAN-GP and a reconstruction loss; translateTo(x, domains)',
  likelihood: 'none',
  configSchema: starganConfigSchema,
  create: (config, context) => new Stargan(config, context),
  reproduce: starganRecipes,
  paper:
    'Choi, Choi, Kim, Ha, Kim & Choo, StarGAN: Unified Generative Adversarial Networks for Multi-Domain Image-to-Image Translation (CVPR 2018)',
});
