import { z } from 'zod';
import { adversarialShape, DCGAN_ADAM } from '../common/config/adversarial.js';
import { discriminatorSteps, ganLossSchema } from '../common/config/steps.js';

/** DCGAN: the convolutional networks, non-saturating loss, Adam(2e-4, β₁ = 0.5) for both players. */
export const dcganConfigSchema = z.strictObject({
  ...adversarialShape({
    network: { kind: 'dcgan' },
    output: 'tanh',
    optimizers: { generator: DCGAN_ADAM, discriminator: DCGAN_ADAM },
  }),
  loss: ganLossSchema.default('non-saturating'),
  discriminatorSteps: discriminatorSteps(1),
});

export type DcganConfig = z.infer<typeof dcganConfigSchema>;
