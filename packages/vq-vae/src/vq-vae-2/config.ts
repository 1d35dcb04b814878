import { z } from 'zod';
import { codebookSchema, deadCodeRestartSchema, decoderSchema } from '../vq-vae/config.js';

/** VQ-VAE-2 configuration; every key has a default, unknown keys are errors. */
export const vqVae2ConfigSchema = z.strictObject({
  /** K of each level's codebook. */
  codebookSize: z
    .strictObject({
      /** K_t, codes of the top (coarse) level. */
      top: z.number().int().min(2).default(64),
      /** K_b, codes of the bottom (fine) level. */
      bottom: z.number().int().min(2).default(64),
    })
    .prefault({}),
  /** D, the dimension of a code (both levels: the decoder reads them side by side). */
  codeDim: z.number().int().min(1).default(16),
  /**
   * Channels of the bottom encoder's stride-2 4 × 4 convolutions (one per halving): one halves 28 × 28
   * to the 14 × 14 bottom grid (32 × 32 to 16 × 16); the decoder mirrors them.
   */
  hidden: z.array(z.number().int().min(1)).min(1).default([64]),
  /**
   * Channels of the top encoder's stride-2 convolutions on the bottom features (one per halving): one
   * halves the 14 × 14 bottom grid to the 7 × 7 top grid; the top decoder mirrors them.
   */
  topHidden: z.array(z.number().int().min(1)).min(1).default([64]),
  /** Residual blocks in every encoder and decoder. */
  residualBlocks: z.number().int().min(0).default(2),
  /** Hidden channels inside a residual block. */
  residualChannels: z.number().int().min(1).default(32),
  /** β, the weight of each level's commitment loss ‖z_e − sg[e]‖². */
  beta: z.number().nonnegative().default(0.25),
  /**
   * λ of an auxiliary loss −λ·log p(x | e_t, ē_b): the decoder also reconstructs x from the top codes alone
   * (the bottom input at its average code ē_b, as `decodeTop`). Not in the paper (0, the default, is its
   * objective): trained as the paper, the decoder reads the bottom codes only — they are computed from the
   * top ones and the bottom features — and a top-only reconstruction is a blur; with λ > 0 the top codes
   * must describe the image on their own, and the bottom ones add detail (the advice of the reference
   * implementation's author for reconstructions from one level).
   */
  topOnlyWeight: z.number().nonnegative().default(0),
  /** How both codebooks learn (as the VQ-VAE's). */
  codebook: codebookSchema,
  /** Dead-code restarts of both codebooks (as the VQ-VAE's). */
  deadCodeRestart: deadCodeRestartSchema,
  decoder: decoderSchema,
});

export type VqVae2Config = z.infer<typeof vqVae2ConfigSchema>;
