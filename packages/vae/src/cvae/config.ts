import { z } from 'zod';
import { elboSamples, singleLayerShape } from '../common/config/single-layer.js';

/** Conditional VAE configuration: the VAE's keys (the number of classes comes from the dataset). */
export const cvaeConfigSchema = z.strictObject({ ...singleLayerShape, samples: elboSamples });

export type CvaeConfig = z.infer<typeof cvaeConfigSchema>;
