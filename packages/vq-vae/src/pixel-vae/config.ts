import { z } from 'zod';

/** An odd kernel size of at least 3 (a 1-wide causal kernel would see no earlier pixel). */
const oddKernel = (fallback: number) =>
  z
    .number()
    .int()
    .min(3)
    .max(15)
    .refine((k) => k % 2 === 1, { message: 'kernel sizes must be odd' })
    .default(fallback);

/**
 * The autoregressive decoder p(x | z): a Gated PixelCNN over the pixels, conditioned on the map decoded
 * from z. Its receptive field, R = firstKernel//2 + gatedLayers · (kernelSize//2) rows above and columns
 * either side, decides what is left for z to carry (VLAE §3): the default (one 3 × 3 layer, R = 1) is local.
 */
export const pixelVaeDecoderSchema = z
  .strictObject({
    /** Channels per stack. */
    channels: z.number().int().min(1).max(1024).default(32),
    /** Gated layers after the first. */
    gatedLayers: z.number().int().min(0).max(64).default(0),
    firstKernel: oddKernel(3),
    kernelSize: oddKernel(3),
    /** Channels of the hidden 1 × 1 output layer. */
    outputChannels: z.number().int().min(1).max(4096).default(32),
  })
  .prefault({});

/** PixelVAE configuration; every key has a default, unknown keys are errors. */
export const pixelVaeConfigSchema = z.strictObject({
  /** Dimension of the global Gaussian latent z. */
  latentDim: z.number().int().min(1).max(1024).default(32),
  /**
   * Channels of the encoder's stride-2 4 × 4 convolutions (two halve 28 × 28 to 7 × 7); the decoder's
   * transposed convolutions mirror them back to the image size.
   */
  hidden: z.array(z.number().int().min(1).max(1024)).min(1).max(5).default([32, 64]),
  /** C_h, channels of the feature map decoded from z that conditions every gate of the PixelCNN. */
  mapChannels: z.number().int().min(1).max(1024).default(16),
  pixelcnn: pixelVaeDecoderSchema,
  /**
   * KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): the KL term's weight in the training loss rises
   * linearly from 0 to 1 over this many steps, so the decoder learns to read z before the KL can switch
   * it off; 0: weight 1 from the start. Reported bounds always use weight 1.
   */
  klWarmupSteps: z.number().int().min(0).default(0),
  /**
   * Free bits λ (Kingma et al. 2016, App. C.8; VLAE §4): the training loss uses Σ_j max(λ, KL_j), KL_j the
   * batch mean of dimension j's KL, so no dimension is pushed below λ nats; 0: the plain KL.
   */
  freeBits: z.number().min(0).default(0),
});

export type PixelVaeConfig = z.infer<typeof pixelVaeConfigSchema>;
