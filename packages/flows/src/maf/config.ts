import { z } from 'zod';
import {
  activationSchema,
  baseSchema,
  hiddenSchema,
  logitAlphaSchema,
  preprocessSchema,
  scaleSchema,
} from '../common/config/schemas.js';

/**
 * MAF / IAF configuration: `layers` masked affine autoregressive layers, each a MADE with `hidden`
 * layers, the order reversed between layers (`ordering: natural`, as in the MAF paper) or drawn at
 * random per layer; `actnorm` after each layer (in place of the paper's batch norm). Images are
 * flattened to vectors first.
 */
export const mafConfigSchema = z.strictObject({
  layers: z.number().int().min(1).max(32).default(5),
  hidden: hiddenSchema.min(1).default([512]),
  activation: activationSchema.default('relu'),
  ordering: z.enum(['natural', 'random']).default('natural'),
  hiddenDegrees: z.enum(['random', 'even']).default('even'),
  scale: scaleSchema.default('tanh'),
  actnorm: z.boolean().default(false),
  base: baseSchema.default('normal'),
  preprocess: preprocessSchema.default('none'),
  logitAlpha: logitAlphaSchema,
});

export type MafConfig = z.infer<typeof mafConfigSchema>;
