/**
 * Training options every model of the family accepts: KL warm-up, free bits and the encoder's gradient
 * estimator. They change the training objective only; the reported ELBO and log p(x) are always the
 * model's true β = 1 quantities.
 */
import { z } from 'zod';

export const trainingOptionsShape = {
  /**
   * KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): the KL weight rises linearly from 0 to its
   * target (1, or β) over this many steps; 0 disables it.
   */
  klWarmupSteps: z.number().int().nonnegative().default(0),
  /**
   * Free bits λ in nats per latent dimension (Kingma et al. 2016, §C.8): the KL term becomes
   * Σ_j max(λ, mean over the batch of KL_j), so no dimension is pushed below λ; 0 disables it.
   */
  freeBits: z.number().nonnegative().default(0),
  /**
   * The encoder's gradient: `reparameterization` (z = μ + σ ⊙ ε, Kingma & Welling 2014) or
   * `score-function` (the likelihood-ratio / REINFORCE estimator, Williams 1992; with the k-sample bound,
   * VIMCO, Mnih & Rezende 2016). The decoder always gets its ordinary gradient.
   */
  estimator: z.enum(['reparameterization', 'score-function']).default('reparameterization'),
  /**
   * Control variate of the score-function estimator: `leave-one-out` subtracts, from each sample's learning
   * signal, the mean signal of the other samples of the same example (or, with one sample per example, of
   * the other examples in the batch), which keeps the estimator unbiased; `none` uses the raw signal.
   */
  baseline: z.enum(['leave-one-out', 'none']).default('leave-one-out'),
};

/** The objective a model trains, resolved from its config. */
export interface ObjectiveSettings {
  /** `elbo`: the average of the ELBO over `samples` draws; `iwae`: the `samples`-sample importance-weighted bound. */
  bound: 'elbo' | 'iwae';
  samples: number;
  /** Target KL weight β (1 for the ELBO itself). */
  beta: number;
  klWarmupSteps: number;
  freeBits: number;
  estimator: 'reparameterization' | 'score-function';
  baseline: 'leave-one-out' | 'none';
}

/** Free bits floor the ELBO's separate KL term; the importance-weighted bound has none. */
export function checkFreeBits(
  config: { freeBits: number },
  bound: 'elbo' | 'iwae',
  ctx: z.RefinementCtx,
): void {
  if (bound === 'iwae' && config.freeBits > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['freeBits'],
      message: 'free bits floor the ELBO’s KL term, which the importance-weighted bound does not have; use 0',
    });
  }
}
