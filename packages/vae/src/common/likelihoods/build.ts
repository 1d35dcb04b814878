import type { LikelihoodConfig } from '../config/likelihood.js';
import { BernoulliObservation } from './bernoulli.js';
import { FixedVarianceGaussian } from './gaussian-fixed.js';
import { LearnedVarianceGaussian } from './gaussian-learned.js';
import type { ObservationModel } from './types.js';

/** The observation model p(x|z) of the `likelihood` config for D-dimensional data. */
export function buildObservationModel(config: LikelihoodConfig, dims: number): ObservationModel {
  switch (config.kind) {
    case 'bernoulli':
      return new BernoulliObservation();
    case 'gaussian-fixed':
      return new FixedVarianceGaussian(config.variance);
    case 'gaussian-learned':
      return new LearnedVarianceGaussian(dims, config.per, config.minVariance);
  }
}
