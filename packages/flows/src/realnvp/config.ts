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
 * RealNVP configuration. The architecture follows the data:
 *
 * - vectors ([D], e.g. 2-D sets): `couplings` affine couplings with MLP conditioners (`hidden`),
 *   alternating which half (`mask: half`) or which dimensions (`alternate`) they transform;
 * - images ([H, W, C]): `levels` scales; each but the last is `couplingsPerScale` checkerboard
 *   couplings, a squeeze, `couplingsPerScale` channel-wise couplings and the factor-out of half the
 *   channels; the last scale is `finalCouplings` checkerboard couplings. Conditioners are ResNets of
 *   `blocks` residual blocks with `features` channels.
 *
 * `actnorm` puts an ActNorm after every coupling (in place of the paper's batch normalization).
 */
export const realnvpConfigSchema = z.strictObject({
  couplings: z.number().int().min(2).max(64).default(8),
  hidden: hiddenSchema.min(1).default([128, 128]),
  activation: activationSchema.default('relu'),
  mask: z.enum(['half', 'alternate']).default('half'),
  levels: z.number().int().min(1).max(6).default(2),
  couplingsPerScale: z.number().int().min(1).max(16).default(3),
  finalCouplings: z.number().int().min(1).max(16).default(4),
  features: z.number().int().positive().max(1024).default(32),
  blocks: z.number().int().min(0).max(16).default(2),
  scale: scaleSchema.default('tanh'),
  actnorm: z.boolean().default(false),
  base: baseSchema.default('normal'),
  preprocess: preprocessSchema.default('none'),
  logitAlpha: logitAlphaSchema,
});

export type RealnvpConfig = z.infer<typeof realnvpConfigSchema>;
