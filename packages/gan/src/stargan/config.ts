import { CONFIG_SIZE_LIMITS } from '@genzoo/core';
import { z } from 'zod';
import { optimizersSchema, outputSchema } from '../common/config/adversarial.js';
import { discriminatorSteps } from '../common/config/steps.js';

/** StarGAN's Adam (Choi et al. 2018, §5): learning rate 1e-4, β₁ = 0.5, β₂ = 0.999, for G and D. */
const STARGAN_ADAM = { name: 'adam', learningRate: 1e-4, beta1: 0.5, beta2: 0.999 } as const;

/**
 * StarGAN at small scale: a ResNet generator of width k and a PatchGAN discriminator of strided layers
 * k, 2k, 4k …, with the paper's weights λ_cls = 1, λ_rec = 10, λ_gp = 10, n_critic = 5 and Adam(1e-4,
 * β₁ = 0.5) for both players (§4, §5). The mask vector for training on several datasets at once (§3.2)
 * is not implemented: there is one labelled dataset here.
 */
export const starganConfigSchema = z.strictObject({
  /** k: filters of G's first layer (2k in its residual blocks) and of D's first layer. */
  channels: z.number().int().positive().max(CONFIG_SIZE_LIMITS.channels).default(16),
  /** Residual blocks of G at the downsampled resolution. */
  residualBlocks: z.number().int().nonnegative().max(CONFIG_SIZE_LIMITS.depth).default(2),
  /** Stride-2 convolutions of D (k, 2k, 4k, … filters) before its two heads. */
  discriminatorLayers: z.number().int().positive().max(CONFIG_SIZE_LIMITS.depth).default(3),
  /** λ_cls, the weight of the domain-classification losses (eq. 5, 6). */
  classificationWeight: z.number().nonnegative().default(1),
  /** λ_rec, the weight of the reconstruction loss (eq. 6). */
  reconstructionWeight: z.number().nonnegative().default(10),
  /** λ_gp, the weight of the gradient penalty (eq. 8). */
  penaltyWeight: z.number().nonnegative().default(10),
  /** n_critic: D updates per G update. */
  discriminatorSteps: discriminatorSteps(5),
  output: outputSchema.default('tanh'),
  optimizers: optimizersSchema({ generator: STARGAN_ADAM, discriminator: STARGAN_ADAM }),
});

export type StarganConfig = z.infer<typeof starganConfigSchema>;
