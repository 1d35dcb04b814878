/** Decoder likelihood configs p(x|z); see the classes in `common/likelihoods/` for the densities. */
import { z } from 'zod';

export const likelihoodSchema = z
  .discriminatedUnion('kind', [
    /** Bernoulli on logits, for binary (binarized) data. */
    z.strictObject({ kind: z.literal('bernoulli') }),
    z.strictObject({
      kind: z.literal('gaussian-fixed'),
      /** The fixed variance v of every pixel (the MSE form, weighted by 1/(2v), with its log-normalizer). */
      variance: z.number().positive().default(0.01),
    }),
    z.strictObject({
      kind: z.literal('gaussian-learned'),
      /** `pixel`: the decoder outputs a variance for every pixel; `image`: one variance per example. */
      per: z.enum(['pixel', 'image']).default('pixel'),
      /**
       * Floor v_min on the variance, v = v_min + softplus(output): pixels that are constant in the
       * training data would otherwise drive their variance, and the density, without bound.
       */
      minVariance: z.number().positive().default(1e-4),
    }),
  ])
  .default({ kind: 'bernoulli' });

export type LikelihoodConfig = z.infer<typeof likelihoodSchema>;
