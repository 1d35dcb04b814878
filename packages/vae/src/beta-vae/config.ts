import { z } from 'zod';
import { elboSamples, singleLayerShape } from '../common/config/single-layer.js';

/** β-VAE configuration: the VAE's keys and the KL weight β. */
export const betaVaeConfigSchema = z.strictObject({
  ...singleLayerShape,
  samples: elboSamples,
  /** Weight of the KL term: β > 1 trades reconstruction for a more factorized posterior; β = 1 is the VAE. */
  beta: z.number().positive().default(4),
});

export type BetaVaeConfig = z.infer<typeof betaVaeConfigSchema>;
