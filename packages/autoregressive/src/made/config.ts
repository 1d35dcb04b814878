import { z } from 'zod';
import { activationSchema, headConfig } from '../common/config/schemas.js';

/**
 * MADE configuration. `masks`: mask sets trained in turn and ensembled at test time (1 = a single MADE);
 * `ordering`: the input order of every mask set, natural (1 … D) or drawn at random per set;
 * `hiddenDegrees`: drawn at random (the paper) or spread evenly over 1 … D − 1.
 */
export const madeConfigSchema = z.strictObject({
  hidden: z.array(z.number().int().positive().max(16384)).min(1).max(8).default([500]),
  activation: activationSchema.default('relu'),
  masks: z.number().int().min(1).max(64).default(1),
  ordering: z.enum(['natural', 'random']).default('natural'),
  hiddenDegrees: z.enum(['random', 'even']).default('random'),
  head: headConfig,
  /** Condition on the class label (one-hot context into the first hidden layer). */
  conditional: z.boolean().default(false),
});

export type MadeConfig = z.infer<typeof madeConfigSchema>;
