import { z } from 'zod';
import { adversarialShape, DCGAN_ADAM } from '../common/config/adversarial.js';
import { hiddenSizes } from '../common/config/network.js';
import { discriminatorSteps } from '../common/config/steps.js';

/**
 * BiGAN: generator and encoder share the `generator` player's optimizer; the discriminator sees (x, z)
 * pairs through its body's features of x joined to z, then `jointHidden` leaky-ReLU layers.
 */
export const biganConfigSchema = z.strictObject({
  ...adversarialShape({
    network: { kind: 'mlp', generatorHidden: [512, 512], discriminatorHidden: [512] },
    output: 'tanh',
    optimizers: { generator: DCGAN_ADAM, discriminator: DCGAN_ADAM },
    latentDim: 50,
  }),
  /** Hidden sizes of the discriminator's layers over [φ(x), z]. */
  jointHidden: hiddenSizes.default([512]),
  discriminatorSteps: discriminatorSteps(1),
});

export type BiganConfig = z.infer<typeof biganConfigSchema>;
