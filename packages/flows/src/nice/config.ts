import { z } from 'zod';
import {
  activationSchema,
  baseSchema,
  hiddenSchema,
  logitAlphaSchema,
  preprocessSchema,
} from '../common/config/schemas.js';

/**
 * NICE configuration. `couplings` additive couplings with MLP conditioners (`hidden` layers), then the
 * diagonal scaling; `mask`: the paper's odd/even dimensions (`alternate`) or halves (`half`); images
 * are flattened to vectors first. The paper's MNIST model: 4 couplings, 5 hidden layers of 1000 ReLUs,
 * logistic base.
 */
export const niceConfigSchema = z.strictObject({
  couplings: z.number().int().min(2).max(32).default(4),
  hidden: hiddenSchema.min(1).default([1000, 1000, 1000, 1000, 1000]),
  activation: activationSchema.default('relu'),
  mask: z.enum(['alternate', 'half']).default('alternate'),
  base: baseSchema.default('logistic'),
  preprocess: preprocessSchema.default('none'),
  logitAlpha: logitAlphaSchema,
});

export type NiceConfig = z.infer<typeof niceConfigSchema>;
