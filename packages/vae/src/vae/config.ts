import { z } from 'zod';
import { elboSamples, singleLayerShape } from '../common/config/single-layer.js';

/** VAE configuration; every key has a default, unknown keys are errors. */
export const vaeConfigSchema = z.strictObject({ ...singleLayerShape, samples: elboSamples });

export type VaeConfig = z.infer<typeof vaeConfigSchema>;
