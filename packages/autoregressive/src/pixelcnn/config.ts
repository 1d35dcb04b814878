import { z } from 'zod';
import { headConfig, oddKernel } from '../common/config/schemas.js';

/**
 * PixelCNN configuration: a type-A first kernel, residual blocks with type-B 3 × 3 kernels, and the
 * output head (Bernoulli, 256-way softmax, or the PixelCNN++ logistic mixture).
 */
export const pixelcnnConfigSchema = z.strictObject({
  channels: z.number().int().min(2).max(1024).default(64),
  residualBlocks: z.number().int().min(0).max(64).default(5),
  firstKernel: oddKernel(7),
  kernelSize: oddKernel(3),
  outputChannels: z.number().int().positive().max(4096).default(64),
  head: headConfig,
});

export type PixelcnnConfig = z.infer<typeof pixelcnnConfigSchema>;
