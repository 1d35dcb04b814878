import { z } from 'zod';

/** The frozen VQ-VAE as the two-stage model records it in its own config (its weights are in the checkpoint). */
export const frozenVqVaeSchema = z.strictObject({
  /** The VQ-VAE's config, as its checkpoint stored it. */
  config: z.record(z.string(), z.unknown()),
  /** The VQ-VAE's weights it was read with: their CRC-32 (hex) and byte length. */
  fingerprint: z.string().min(1),
});

export type FrozenVqVae = z.infer<typeof frozenVqVaeSchema>;

/**
 * Two-stage VQ-VAE configuration: a frozen VQ-VAE (read once from `vqvae`, a run or checkpoint folder, then
 * carried in the model's own checkpoint) and a PixelCNN prior over its codes.
 */
export const vqVaePriorConfigSchema = z.strictObject({
  /** The trained VQ-VAE: a run folder (with `checkpoint/`) or a checkpoint folder. Read when training starts. */
  vqvae: z.string().min(1).optional(),
  /** Filled in when the model is created from `vqvae`; a saved two-stage model needs no folder. */
  frozen: frozenVqVaeSchema.optional(),
  /** The prior's network (the paper's is the Gated PixelCNN). */
  network: z.enum(['pixelcnn', 'gated-pixelcnn']).default('gated-pixelcnn'),
  /**
   * The prior network's config (its head is set to a K-way softmax over code indices); `conditional: true`
   * (gated-pixelcnn) makes a class-conditional prior.
   */
  prior: z.record(z.string(), z.unknown()).default({}),
});

export type VqVaePriorConfig = z.infer<typeof vqVaePriorConfigSchema>;
