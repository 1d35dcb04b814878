/**
 * β-VAE (Higgins et al., "β-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework",
 * ICLR 2017): the VAE (vae/model.ts) trained on
 *
 *   E_q[log p(x|z)] − β · KL(q(z|x) ‖ p(z))
 *
 * which for β > 1 is no longer a bound on log p(x); the model still reports the true ELBO (β = 1) and the
 * importance-sampled log p(x). What is specific to the β-VAE is this setting, β in the objective; the
 * β-weighted loss itself is the family's ELBO loss (common/objectives/elbo.ts), where the other models
 * use β = 1 (or KL warm-up).
 */
import type { ModelContext } from '@genzoo/core';
import { trainingOptionsOf } from '../common/config/settings.js';
import { Vae } from '../vae/model.js';
import type { BetaVaeConfig } from './config.js';

/** The VAE of the config trained on the β-weighted ELBO with the config's `samples` draws. */
export function createBetaVae(config: BetaVaeConfig, context: ModelContext): Vae<BetaVaeConfig> {
  return new Vae('beta-vae', config, context, {
    bound: 'elbo',
    samples: config.samples,
    beta: config.beta,
    ...trainingOptionsOf(config),
  });
}
