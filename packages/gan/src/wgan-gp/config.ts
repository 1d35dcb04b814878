import { z } from 'zod';
import { adversarialShape } from '../common/config/adversarial.js';
import { discriminatorSteps } from '../common/config/steps.js';

/** WGAN-GP's Adam (Gulrajani et al. 2017, Alg. 1): α = 1e-4, β₁ = 0, β₂ = 0.9. */
const WGAN_GP_ADAM = { name: 'adam', learningRate: 1e-4, beta1: 0, beta2: 0.9 } as const;

/** WGAN-GP: the critic's Lipschitz constraint as a gradient penalty; no batch norm in the critic. */
export const wganGpConfigSchema = z
  .strictObject({
    ...adversarialShape({
      network: { kind: 'dcgan', discriminatorBatchNorm: false },
      output: 'tanh',
      optimizers: { generator: WGAN_GP_ADAM, discriminator: WGAN_GP_ADAM },
    }),
    /** λ of the penalty (the paper's 10). */
    penaltyWeight: z.number().positive().default(10),
    discriminatorSteps: discriminatorSteps(5),
  })
  .refine((c) => c.network.kind !== 'dcgan' || !c.network.discriminatorBatchNorm, {
    message:
      'the critic of WGAN-GP must not use batch norm: the penalty is taken per example and batch norm mixes a ' +
      "batch's examples (set network.discriminatorBatchNorm to false)",
    path: ['network', 'discriminatorBatchNorm'],
  });

export type WganGpConfig = z.infer<typeof wganGpConfigSchema>;
