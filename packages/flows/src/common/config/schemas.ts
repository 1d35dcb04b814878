/** Config pieces every flow shares: preprocessing, the base distribution, scale squashing, networks. */
import { z } from 'zod';

export const activationSchema = z.enum(['relu', 'tanh', 'elu', 'leakyRelu', 'softplus']);

/**
 * `logit`: RealNVP's logit(α + (1 − 2α)x) for data in [0, 1]; `center`: Glow's x − ½; `none`: the data
 * as given (2-D sets). Dequantization itself is a dataset option (`dequantize: true`), so that the
 * reported bits/dim include the −D·log 256 of the discrete data.
 */
export const preprocessSchema = z.enum(['none', 'logit', 'center']);

export const baseSchema = z.enum(['normal', 'logistic']);

export const scaleSchema = z.enum(['tanh', 'sigmoid', 'exp']);

export const hiddenSchema = z.array(z.number().int().positive().max(8192)).max(8);

/** RealNVP's α: the logit sees values in [α, 1 − α]. */
export const logitAlphaSchema = z.number().min(0).lt(0.5).default(0.05);
