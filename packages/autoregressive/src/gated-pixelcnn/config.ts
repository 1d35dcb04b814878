import { z } from 'zod';
import { headConfig, oddKernel } from '../common/config/schemas.js';

/**
 * Gated PixelCNN configuration; `conditional` adds the one-hot class bias to every gate, `mapChannels` > 0
 * a conditioning map of that many channels through 1 × 1 convolutions (0: none).
 */
export const gatedPixelcnnConfigSchema = z.strictObject({
  channels: z.number().int().min(1).max(1024).default(64),
  gatedLayers: z.number().int().min(0).max(64).default(5),
  firstKernel: oddKernel(7),
  kernelSize: oddKernel(3),
  outputChannels: z.number().int().positive().max(4096).default(64),
  head: headConfig,
  conditional: z.boolean().default(false),
  mapChannels: z.number().int().min(0).max(4096).default(0),
});

export type GatedPixelcnnConfig = z.infer<typeof gatedPixelcnnConfigSchema>;
