import { z } from 'zod';
import { adversarialShape } from '../common/config/adversarial.js';
import { discriminatorSteps } from '../common/config/steps.js';

/**
 * WGAN's RMSProp (Arjovsky et al. 2017, Alg. 1): learning rate 5e-5 for critic and generator. tfjs adds ε
 * inside the root, lr·g/√(ms + ε), where the paper's PyTorch code adds it outside, lr·g/(√ms + ε) with
 * ε = 1e-8: the critic's clipped weights give generator gradients near 1e-4, which √(ms + 1e-8) would
 * damp to about half a step, so ε = 1e-16 (√ε = 1e-8) keeps the paper's update.
 */
const WGAN_RMSPROP = { name: 'rmsprop', learningRate: 5e-5, epsilon: 1e-16 } as const;

/** WGAN: a critic without sigmoid, weights clipped to [−c, c], n_critic = 5 critic updates per generator update. */
export const wganConfigSchema = z.strictObject({
  ...adversarialShape({
    network: { kind: 'dcgan' },
    output: 'tanh',
    optimizers: { generator: WGAN_RMSPROP, discriminator: WGAN_RMSPROP },
  }),
  /** c of the weight clipping (the paper's 0.01). */
  clip: z.number().positive().default(0.01),
  discriminatorSteps: discriminatorSteps(5),
});

export type WganConfig = z.infer<typeof wganConfigSchema>;
