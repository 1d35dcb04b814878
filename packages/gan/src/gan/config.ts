import { z } from 'zod';
import { adversarialShape, DCGAN_ADAM } from '../common/config/adversarial.js';
import { discriminatorSteps, ganLossSchema } from '../common/config/steps.js';

/** GAN: MLP networks by default, the non-saturating generator loss, DCGAN's Adam for both players. */
export const ganConfigSchema = z.strictObject({
  ...adversarialShape({
    network: { kind: 'mlp' },
    output: 'tanh',
    optimizers: { generator: DCGAN_ADAM, discriminator: DCGAN_ADAM },
  }),
  loss: ganLossSchema.default('non-saturating'),
  discriminatorSteps: discriminatorSteps(1),
});

export type GanConfig = z.infer<typeof ganConfigSchema>;
