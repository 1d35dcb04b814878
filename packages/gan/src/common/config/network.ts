/**
 * Generator and discriminator networks: multilayer perceptrons (Goodfellow et al. 2014) or the DCGAN
 * architecture (Radford, Metz & Chintala 2016) — strided transposed convolutions with batch norm and ReLU
 * in the generator, strided convolutions with leaky ReLU (and batch norm after the first) in the
 * discriminator, weights initialized N(0, 0.02²).
 */
import { CONFIG_SIZE_LIMITS as LIMITS } from '@genzoo/core';
import { z } from 'zod';

/**
 * Every size of the family that multiplies into memory (widths, channels, depths, kernels, noise and
 * embedding dimensions) is bounded by core's CONFIG_SIZE_LIMITS: generous for real models, and a typo
 * such as `latentDim=1e9` is a config error naming the key.
 */
export const hiddenSizes = z.array(z.number().int().positive().max(LIMITS.width)).max(LIMITS.depth);
const channelSizes = z.array(z.number().int().positive().max(LIMITS.channels)).max(LIMITS.depth);
/** Noise, embedding and other vector sizes. */
export const latentSize = z.number().int().positive().max(LIMITS.latent);

export const mlpNetworkSchema = z.strictObject({
  kind: z.literal('mlp'),
  /** Generator hidden sizes from the noise side (ReLU between layers). */
  generatorHidden: hiddenSizes.default([256, 256]),
  /** Discriminator hidden sizes from the data side (leaky ReLU 0.2 between layers). */
  discriminatorHidden: hiddenSizes.default([256, 256]),
  /** Batch norm after each generator hidden layer. */
  generatorBatchNorm: z.boolean().default(false),
});

export const dcganNetworkSchema = z.strictObject({
  kind: z.literal('dcgan'),
  /**
   * Generator channels from the dense projection on: [128, 64] on 28×28 images projects the noise to
   * 7×7×128, then stride-2 transposed convolutions give 14×14×64 and 28×28×C. The image height and width
   * must be divisible by 2^(number of entries).
   */
  generatorChannels: channelSizes.min(1).default([128, 64]),
  /** Discriminator channels of its stride-2 convolutions from the image side: [64, 128] gives 14×14×64, 7×7×128. */
  discriminatorChannels: channelSizes.min(1).default([64, 128]),
  kernelSize: z.number().int().positive().max(LIMITS.kernel).default(4),
  /**
   * Batch norm in the discriminator (after every convolution but the first, as in DCGAN). WGAN-GP's
   * critic must not have it: the penalty is per example, batch norm mixes the examples of a batch.
   */
  discriminatorBatchNorm: z.boolean().default(true),
});

export const networkSchema = z.discriminatedUnion('kind', [mlpNetworkSchema, dcganNetworkSchema]);

export type MlpNetworkConfig = z.infer<typeof mlpNetworkSchema>;
export type DcganNetworkConfig = z.infer<typeof dcganNetworkSchema>;
export type NetworkConfig = z.infer<typeof networkSchema>;

export const DCGAN_NETWORK: DcganNetworkConfig = dcganNetworkSchema.parse({ kind: 'dcgan' });
export const MLP_NETWORK: MlpNetworkConfig = mlpNetworkSchema.parse({ kind: 'mlp' });
