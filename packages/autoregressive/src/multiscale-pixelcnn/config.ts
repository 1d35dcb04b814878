import { z } from 'zod';
import { oddKernel } from '../common/config/schemas.js';

/**
 * Multiscale PixelCNN configuration: the base PixelCNN at the coarsest resolution (the shape of
 * pixelcnn's network), the number of resolution doublings above it, and the per-level, per-group
 * upsampling networks (a 3 × 3 input convolution and `upsampleBlocks` residual blocks of two 3 × 3
 * convolutions, `upsampleChannels` wide). The base size is the image side divided by 2^levels (7 for
 * 28 × 28 images and the default 2 levels); the model refuses images it does not divide.
 */
export const multiscalePixelcnnConfigSchema = z.strictObject({
  channels: z.number().int().min(2).max(1024).default(32),
  residualBlocks: z.number().int().min(0).max(64).default(3),
  firstKernel: oddKernel(7),
  kernelSize: oddKernel(3),
  outputChannels: z.number().int().positive().max(4096).default(32),
  /** Resolution doublings from the base image to the data (2: 7 × 7 → 14 × 14 → 28 × 28). */
  levels: z.number().int().min(1).max(4).default(2),
  upsampleChannels: z.number().int().min(1).max(1024).default(32),
  upsampleBlocks: z.number().int().min(0).max(16).default(2),
});

export type MultiscalePixelcnnConfig = z.infer<typeof multiscalePixelcnnConfigSchema>;
