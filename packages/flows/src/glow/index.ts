import { defineModel } from '@genzoo/core';
import { glowConfigSchema } from './config.js';
import { createGlow } from './model.js';
import { glowRecipes } from './recipes.js';

export const glowDefinition = defineModel({
  name: 'glow',
  family: 'flow',
  description:
    'Glow: multi-scale steps of ActNorm, invertible 1×1 convolution (LU or plain) and affine or additive coupling, learned split priors',
  likelihood: 'exact',
  configSchema: glowConfigSchema,
  create: createGlow,
  reproduce: glowRecipes,
  paper: 'Kingma & Dhariwal, Glow: Generative Flow with Invertible 1×1 Convolutions (NeurIPS 2018)',
});
