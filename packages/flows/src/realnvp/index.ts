import { defineModel } from '@genzoo/core';
import { realnvpConfigSchema } from './config.js';
import { createRealnvp } from './model.js';
import { realnvpRecipes } from './recipes.js';

export const realnvpDefinition = defineModel({
  name: 'realnvp',
  family: 'flow',
  description:
    'RealNVP: affine couplings; MLP conditioners on vectors, multi-scale (checkerboard and channel masks, squeeze, factor-out) with ResNet conditioners on images',
  likelihood: 'exact',
  configSchema: realnvpConfigSchema,
  create: createRealnvp,
  reproduce: realnvpRecipes,
  paper: 'Dinh, Sohl-Dickstein & Bengio, Density estimation using Real NVP (ICLR 2017)',
});
