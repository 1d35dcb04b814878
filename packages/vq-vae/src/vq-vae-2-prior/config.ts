import { z } from 'zod';
import { frozenVqVaeSchema } from '../two-stage/config.js';

/**
 * Two-stage VQ-VAE-2 configuration: a frozen VQ-VAE-2 (read once from `vqvae`, a run or checkpoint folder,
 * then carried in the model's own checkpoint) and two Gated PixelCNN priors over its codes — the top codes
 * alone, and the bottom codes given the top ones.
 */
export const vqVae2PriorConfigSchema = z.strictObject({
  /** The trained VQ-VAE-2: a run folder (with `checkpoint/`) or a checkpoint folder. Read when training starts. */
  vqvae: z.string().min(1).optional(),
  /** Filled in when the model is created from `vqvae`; a saved two-stage model needs no folder. */
  frozen: frozenVqVaeSchema.optional(),
  /** Both priors class-conditional (a one-hot label in their gates; needs a labelled dataset). */
  conditional: z.boolean().default(false),
  /** The top prior's Gated PixelCNN config (its head is set to a K_t-way softmax over code indices). */
  top: z.record(z.string(), z.unknown()).default({}),
  /**
   * The bottom prior's Gated PixelCNN config (its head is set to a K_b-way softmax, its `mapChannels` to D:
   * it reads the top codes' vectors, upsampled to the bottom grid, at every position).
   */
  bottom: z.record(z.string(), z.unknown()).default({}),
});

export type VqVae2PriorConfig = z.infer<typeof vqVae2PriorConfigSchema>;
