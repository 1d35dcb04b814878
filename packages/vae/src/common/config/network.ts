/** Encoder/decoder network configs: a multilayer perceptron, or stride-2 convolutions with a mirror decoder. */
import { CONFIG_SIZE_LIMITS as LIMITS } from '@genzoo/core';
import { z } from 'zod';

/** Nonlinearities between layers (none after the output layer). */
export const activationSchema = z.enum(['relu', 'leakyRelu', 'tanh', 'sigmoid', 'elu', 'softplus']);

/**
 * Every size of the family that multiplies into memory (layer widths, channels, depths, kernels, latent
 * dimensions, latent draws) is bounded by core's CONFIG_SIZE_LIMITS: generous for real models, and a typo
 * such as `latentDim=1e9` is a config error naming the key.
 */
export const hiddenSizes = z.array(z.number().int().positive().max(LIMITS.width)).max(LIMITS.depth);

export const mlpNetworkSchema = z.strictObject({
  kind: z.literal('mlp'),
  /** Encoder hidden sizes, input side first; the decoder uses them reversed (784-512-256-z, z-256-512-784). */
  hidden: hiddenSizes.default([512, 256]),
  activation: activationSchema.default('relu'),
});

export const convNetworkSchema = z.strictObject({
  kind: z.literal('conv'),
  /**
   * Output channels of the encoder's stride-2 convolutions, input side first; each halves the height and
   * width (28 → 14 → 7). The decoder mirrors them with stride-2 transposed convolutions.
   */
  channels: z
    .array(z.number().int().positive().max(LIMITS.channels))
    .min(1)
    .max(LIMITS.depth)
    .default([32, 64]),
  kernelSize: z.number().int().positive().max(LIMITS.kernel).default(3),
  /** Dense layers between the flattened convolutional features and the latent heads (and mirrored). */
  hidden: hiddenSizes.default([]),
  activation: activationSchema.default('relu'),
});

/** A network config without `kind` is an MLP, so `--set network.hidden=[128]` needs nothing more. */
const mlpUnlessNamed = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value)
    ? { kind: 'mlp', ...value }
    : value;

export const networkSchema = z
  .preprocess(mlpUnlessNamed, z.discriminatedUnion('kind', [mlpNetworkSchema, convNetworkSchema]))
  .default({ kind: 'mlp', hidden: [512, 256], activation: 'relu' });

export type NetworkConfig = z.infer<typeof networkSchema>;
export type MlpNetworkConfig = z.infer<typeof mlpNetworkSchema>;
export type ConvNetworkConfig = z.infer<typeof convNetworkSchema>;
