/**
 * Config keys every adversarial model shares: the noise prior, the generator's output nonlinearity and
 * each player's optimizer. Optimizers belong to the model, not the run, because they are part of each
 * paper's recipe (DCGAN's Adam(2e-4, β₁ = 0.5), WGAN's RMSProp(5e-5), WGAN-GP's Adam(1e-4, 0, 0.9)); a
 * partial override (`--set optimizers.generator.learningRate=1e-4`) keeps the rest of the default.
 */
import { type OptimizerConfigInput, optimizerConfigSchema } from '@genzoo/core';
import { z } from 'zod';
import { latentSize, networkSchema } from './network.js';

export const noiseSchema = z.enum(['normal', 'uniform']);

/**
 * The generator's last nonlinearity: `tanh` for images in [−1, 1] (the DCGAN convention; load the data
 * with the datasets option `range: [-1, 1]`), `sigmoid` for [0, 1], `linear` for unbounded data (2-D sets).
 */
export const outputSchema = z.enum(['tanh', 'sigmoid', 'linear']);

export interface PlayerOptimizers {
  generator: OptimizerConfigInput;
  discriminator: OptimizerConfigInput;
}

/** Optimizers of the two players, each a partial override merged over the model's default (or absent). */
export function optimizersSchema(defaults: PlayerOptimizers) {
  const player = (name: keyof PlayerOptimizers) =>
    z.preprocess((value) => {
      if (value === undefined) return defaults[name];
      const partial =
        typeof value === 'object' && value !== null && !Array.isArray(value) && !('name' in value);
      return partial ? { ...defaults[name], ...value } : value;
    }, optimizerConfigSchema);
  const schema = z.strictObject({ generator: player('generator'), discriminator: player('discriminator') });
  return schema.default(() => schema.parse({}));
}

/**
 * A network config merged over the model's default: keys without `kind`, or with the default's kind,
 * override the default's (`--set network.generatorChannels=[32,16]` keeps WGAN-GP's critic without batch
 * norm); another kind starts from that kind's own defaults.
 */
export function networkOverSchema(defaults: z.input<typeof networkSchema>) {
  const fallback = networkSchema.parse(defaults);
  return z
    .preprocess((value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const kind = (value as { kind?: unknown }).kind;
      return kind === undefined || kind === fallback.kind ? { ...fallback, ...value } : value;
    }, networkSchema)
    .default(fallback);
}

/** The keys every adversarial model's config has, with the given defaults. */
export function adversarialShape(defaults: {
  network: z.input<typeof networkSchema>;
  output: z.infer<typeof outputSchema>;
  optimizers: PlayerOptimizers;
  latentDim?: number;
}) {
  return {
    /** Dimension of the generator's noise z. */
    latentDim: latentSize.default(defaults.latentDim ?? 100),
    /** Prior of z: N(0, I), or U[−1, 1]^d as in the DCGAN paper. */
    noise: noiseSchema.default('normal'),
    network: networkOverSchema(defaults.network),
    output: outputSchema.default(defaults.output),
    optimizers: optimizersSchema(defaults.optimizers),
  };
}

/** DCGAN's Adam (Radford et al. 2016, §4): learning rate 2e-4, β₁ = 0.5. */
export const DCGAN_ADAM: OptimizerConfigInput = {
  name: 'adam',
  learningRate: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
};
