import { z } from 'zod';
import { baseSchema, logitAlphaSchema, preprocessSchema, scaleSchema } from '../common/config/schemas.js';

/**
 * Glow configuration: `levels` levels of (squeeze, `steps` × [ActNorm → invertible 1×1 convolution →
 * coupling], split), the last without the split. `coupling`: affine (s bounded by `scale`) or additive;
 * `conv1x1`: LU-decomposed or plain; `prior`: the factored-out halves as N(μ(h), σ(h)²) given the kept
 * half (`learned`, the paper) or N(0, I); conditioners have `features` hidden channels (512 in the
 * paper). Images are centred to [−½, ½] first (`preprocess: center`).
 */
export const glowConfigSchema = z.strictObject({
  levels: z.number().int().min(1).max(6).default(2),
  steps: z.number().int().min(1).max(64).default(8),
  features: z.number().int().positive().max(1024).default(128),
  coupling: z.enum(['affine', 'additive']).default('affine'),
  scale: scaleSchema.default('sigmoid'),
  conv1x1: z.enum(['lu', 'plain']).default('lu'),
  prior: z.enum(['learned', 'standard']).default('learned'),
  base: baseSchema.default('normal'),
  preprocess: preprocessSchema.default('center'),
  logitAlpha: logitAlphaSchema,
});

export type GlowConfig = z.infer<typeof glowConfigSchema>;
