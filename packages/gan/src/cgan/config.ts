import { z } from 'zod';
import { adversarialShape, DCGAN_ADAM } from '../common/config/adversarial.js';
import { latentSize } from '../common/config/network.js';
import { discriminatorSteps, ganLossSchema } from '../common/config/steps.js';

/** Conditional GAN: DCGAN networks, a label embedding into the generator and a projection discriminator. */
export const cganConfigSchema = z.strictObject({
  ...adversarialShape({
    network: { kind: 'dcgan' },
    output: 'tanh',
    optimizers: { generator: DCGAN_ADAM, discriminator: DCGAN_ADAM },
  }),
  /** Size of the generator's learned label embedding, joined to the noise. */
  embeddingDim: latentSize.default(50),
  loss: ganLossSchema.default('non-saturating'),
  discriminatorSteps: discriminatorSteps(1),
});

export type CganConfig = z.infer<typeof cganConfigSchema>;
