import { z } from 'zod';

/** Discriminator updates per generator update: k of Goodfellow et al.'s Algorithm 1, n_critic of WGAN. */
export const discriminatorSteps = (defaultSteps: number) => z.number().int().positive().default(defaultSteps);

/**
 * The two GAN losses of Goodfellow et al. 2014 for the generator, and the least-squares GAN's (Mao et
 * al. 2017), which changes the discriminator's loss too (see common/losses/adversarial.ts).
 */
export const ganLossSchema = z.enum(['non-saturating', 'minimax', 'least-squares']);
