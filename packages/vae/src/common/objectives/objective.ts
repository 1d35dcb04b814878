/** The training objective of a VAE as the Trainer's `Objective`: one forward pass, then the chosen bound. */
import type { Batch, Objective, StepContext } from '@genzoo/core';
import type { ObjectiveSettings } from '../config/training.js';
import type { BoundLoss } from './bound.js';
import { elboLoss } from './elbo.js';
import { iwaeLoss } from './iwae.js';
import { klWeight } from './kl-weight.js';
import type { PassOptions, VariationalPass } from './pass.js';

/** What an objective needs from a model: its forward pass. */
export interface PassProvider {
  pass(x: Batch['x'], options: PassOptions): VariationalPass;
}

export function boundObjective(model: PassProvider, settings: ObjectiveSettings): Objective {
  const name =
    settings.bound === 'iwae' ? `iwae-k${settings.samples}` : settings.beta === 1 ? 'elbo' : 'beta-elbo';
  return {
    name,
    compute(batch: Batch, context: StepContext): BoundLoss {
      const beta = klWeight(settings.beta, settings.klWarmupSteps, context.step);
      const pass = model.pass(batch.x, {
        samples: settings.samples,
        seed: context.nextSeed(),
        condition: batch.condition,
        reparameterize: settings.estimator === 'reparameterization',
      });
      const options = {
        beta,
        freeBits: settings.freeBits,
        estimator: settings.estimator,
        baseline: settings.baseline,
      };
      return settings.bound === 'iwae' ? iwaeLoss(pass, options) : elboLoss(pass, options);
    },
  };
}
