import { CONFIG_SIZE_LIMITS } from '@genzoo/core';
import { z } from 'zod';
import { DCGAN_ADAM, optimizersSchema, outputSchema } from '../common/config/adversarial.js';
import { ganLossSchema } from '../common/config/steps.js';

/**
 * CycleGAN at small scale: the ResNet generators and the PatchGAN discriminators share the width k; the
 * least-squares adversarial loss, λ_cyc = 10 and Adam(2e-4, β₁ = 0.5) for both players are the paper's
 * (§4). The identity loss is off by default: it pulls G towards the identity map on domain B, right for
 * photo ↔ painting colours but wrong where the translation changes every pixel (inversion) or moves
 * them (rotation).
 */
export const cycleganConfigSchema = z.strictObject({
  /** k: filters of the generators' first layer (2k in their residual blocks) and of D's first layer. */
  channels: z.number().int().positive().max(CONFIG_SIZE_LIMITS.channels).default(16),
  /** Residual blocks of each generator at the downsampled resolution. */
  residualBlocks: z.number().int().nonnegative().max(CONFIG_SIZE_LIMITS.depth).default(2),
  /** λ_cyc, the weight of the cycle-consistency loss. */
  cycleWeight: z.number().nonnegative().default(10),
  /** λ_id, the weight of the identity loss E‖G(b) − b‖₁ + E‖F(a) − a‖₁ (0: left out). */
  identityWeight: z.number().nonnegative().default(0),
  loss: ganLossSchema.default('least-squares'),
  output: outputSchema.default('tanh'),
  optimizers: optimizersSchema({ generator: DCGAN_ADAM, discriminator: DCGAN_ADAM }),
});

export type CycleganConfig = z.infer<typeof cycleganConfigSchema>;
