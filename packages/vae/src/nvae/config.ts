import { CONFIG_SIZE_LIMITS as LIMITS } from '@genzoo/core';
import { z } from 'zod';
import { likelihoodSchema } from '../common/config/likelihood.js';

const count = (max: number) => z.number().int().positive().max(max);

/**
 * NVAE configuration. The defaults are sized for 28×28 binary digits on a CPU: 16 channels at 14×14
 * and 32 at 7×7, latent groups of 4 channels at 7×7 and 14×14, two groups per scale, one
 * cell per group. The paper's MNIST model (Vahdat & Kautz 2020, Table 6) is the same structure with 32
 * channels, 20 latent channels, 5 groups per scale and 2 cells per group on 32×32 padded digits.
 */
export const nvaeConfigSchema = z
  .strictObject({
    /** Channels at full resolution (the stem's, with preprocessing cells); every downsampling doubles them. */
    channels: count(LIMITS.channels).default(8),
    /** Latent scales: the finest at half the input resolution, each next one at half of that. */
    scales: count(8).default(2),
    /** Latent groups per scale (the same at every scale). */
    groupsPerScale: count(LIMITS.depth).default(2),
    /** Channels of each latent group z_l (a [H_s, W_s, latentChannels] map). */
    latentChannels: count(LIMITS.channels).default(4),
    /** Residual cells per group, in the encoder tower and in the generative tower. */
    cellsPerGroup: count(LIMITS.depth).default(1),
    /**
     * Encoder cells at full resolution before the latent scales, the last of them downsampling (28×28 →
     * 14×14); 0: a stride-2 stem convolution instead (the default: cells at 28×28 cost 4× those at 14×14).
     */
    preprocessCells: z.number().int().nonnegative().max(LIMITS.depth).default(0),
    /**
     * Generative cells after the last group, the first of them upsampling back to full resolution; 0: a
     * stride-2 transposed convolution from the finest latent scale to the pixel outputs instead.
     */
    postprocessCells: z.number().int().nonnegative().max(LIMITS.depth).default(0),
    /** Channel expansion E of the generative cell's depthwise stage (the paper's E = 6; 3 here for speed). */
    expansion: count(16).default(3),
    /** Squeeze-and-excitation reduction r: C → max(C/r, 4) → C. */
    seReduction: count(LIMITS.channels).default(4),
    likelihood: likelihoodSchema,
    /** What `sample` returns: the mean of p(x|z), or a draw. */
    sampleOutput: z.enum(['mean', 'draw']).default('mean'),
    /** KL warm-up: β rises linearly from 0 to 1 over this many steps (the paper: the first 30% of training). */
    klWarmupSteps: z.number().int().nonnegative().default(0),
    /** KL balancing across groups during warm-up (Appendix A); off: the plain sum Σ_l KL_l. */
    klBalancing: z.boolean().default(true),
    /** Spectral regularization λ · Σ σ(W) over every convolution kernel (§3.2); 0 disables it. */
    spectralRegularization: z.number().nonnegative().default(0),
    /**
     * Sampling re-estimates the generator's BatchNorm statistics first (§3.2, "BN statistics"): it runs the
     * generator in training mode on `batches` batches of `batchSize` prior draws at the sampling
     * temperature, then samples with those running statistics (the model's own are restored after).
     * `batches: 0` samples with the training statistics.
     */
    batchNormSampling: z
      .strictObject({
        batches: z.number().int().nonnegative().max(10_000).default(20),
        batchSize: count(LIMITS.samples).default(64),
      })
      .default({ batches: 20, batchSize: 64 }),
  })
  .superRefine((config, ctx) => {
    if (config.likelihood.kind === 'gaussian-learned' && config.likelihood.per === 'image') {
      ctx.addIssue({
        code: 'custom',
        path: ['likelihood', 'per'],
        message: 'the convolutional output layer gives per-pixel parameters only; use per: "pixel"',
      });
    }
  });

export type NvaeConfig = z.infer<typeof nvaeConfigSchema>;
