import { CONFIG_SIZE_LIMITS } from '@genzoo/core';
import { z } from 'zod';

/** Gaussian mixture configuration; every key has a default, unknown keys are errors. */
export const gmmConfigSchema = z.strictObject({
  /** Number of mixture components K (bounded by core's limit on sizes that multiply into memory). */
  components: z.number().int().positive().max(CONFIG_SIZE_LIMITS.components).default(8),
  /** 'full': one D×D covariance per component; 'diagonal': per-dimension variances (use for images). */
  covariance: z.enum(['full', 'diagonal']).default('full'),
  /** 'em': expectation–maximization, one iteration per training step; 'gradient': maximize log p(x) with the run's optimizer. */
  fit: z.enum(['em', 'gradient']).default('em'),
  /**
   * Added to the diagonal of every covariance in the EM M-step (scikit-learn's reg_covar), and, for
   * gradient fitting, the floor on the (conditional) variances. Keeps components from collapsing onto
   * single points, where the likelihood is unbounded.
   */
  regularization: z.number().nonnegative().default(1e-6),
  /** Seeding of the k-means run that initializes the mixture on the first batch. */
  init: z.enum(['kmeans++', 'random']).default('kmeans++'),
  /** Lloyd iterations after seeding (0: initialize from the seeds alone). */
  kmeansIterations: z.number().int().nonnegative().default(10),
  /** Independent k-means runs; the one with the lowest within-cluster sum of squares initializes the mixture. */
  kmeansRestarts: z.number().int().positive().default(3),
});

export type GmmConfig = z.infer<typeof gmmConfigSchema>;
