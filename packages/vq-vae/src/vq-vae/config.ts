import { z } from 'zod';

/** The decoder's observation model p(x | z_q); see `common/observation.ts`. */
export const decoderSchema = z
  .discriminatedUnion('kind', [
    /** Gaussian with a fixed variance (the MSE loss with its log-normalizer), for grey levels. */
    z.strictObject({
      kind: z.literal('gaussian'),
      /** The fixed variance σ² of every pixel. */
      variance: z.number().positive().default(0.01),
    }),
    /** Bernoulli on logits, for binary (binarized) data. */
    z.strictObject({ kind: z.literal('bernoulli') }),
  ])
  .default({ kind: 'gaussian', variance: 0.01 });

/** How the codebook learns (shared by every quantizer of the family). */
export const codebookSchema = z
  .strictObject({
    /**
     * `ema`: exponential moving averages (App. A.1); `loss`: the codebook loss ‖sg[z_e] − e‖² trains E.
     * On mnist-10k (K = 32, 150 steps) EMA used 22 codes and reached a test MSE of 0.022, the loss 11
     * codes and 0.039.
     */
    update: z.enum(['loss', 'ema']).default('ema'),
    /** γ of the moving averages. */
    decay: z.number().min(0).max(1).default(0.99),
    /** ε of the Laplace smoothing of the cluster sizes. */
    epsilon: z.number().positive().default(1e-5),
    /**
     * `uniform`: U(±√(3/K)), as the paper's code; `data`: K distinct encoder outputs of the first batch
     * (on mnist-10k it used fewer codes than uniform: the untrained encoder's outputs are alike).
     */
    init: z.enum(['uniform', 'data']).default('uniform'),
  })
  .prefault({});

/** Dead-code restarts (an option of every quantizer of the family). */
export const deadCodeRestartSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** A code assigned fewer times than this since the last check is re-seeded. */
    threshold: z.number().nonnegative().default(1),
    /** Steps between checks. */
    every: z.number().int().min(1).default(100),
  })
  .prefault({});

/** VQ-VAE configuration; every key has a default, unknown keys are errors. */
export const vqVaeConfigSchema = z.strictObject({
  /** K, the number of codes. */
  codebookSize: z.number().int().min(2).default(64),
  /** D, the dimension of a code. */
  codeDim: z.number().int().min(1).default(16),
  /** Channels of the stride-2 4 × 4 convolutions: two halve 28 × 28 to a 7 × 7 code grid. */
  hidden: z.array(z.number().int().min(1)).min(1).default([32, 64]),
  /** Residual blocks (3 × 3 conv → ReLU → 1 × 1 conv, added) in the encoder and in the decoder. */
  residualBlocks: z.number().int().min(0).default(2),
  /** Hidden channels inside a residual block. */
  residualChannels: z.number().int().min(1).default(32),
  /** β, the weight of the commitment loss ‖z_e − sg[e]‖². */
  beta: z.number().nonnegative().default(0.25),
  codebook: codebookSchema,
  deadCodeRestart: deadCodeRestartSchema,
  decoder: decoderSchema,
});

export type VqVaeConfig = z.infer<typeof vqVaeConfigSchema>;
export type DecoderConfig = z.infer<typeof decoderSchema>;
