/** Config pieces shared by the models' schemas. */
import { z } from 'zod';
import { headSchema } from '../heads/config.js';

export const oddKernel = (fallback: number) =>
  z
    .number()
    .int()
    .min(3)
    .max(15)
    .refine((k) => k % 2 === 1, { message: 'kernel sizes must be odd (the mask is centred on the pixel)' })
    .default(fallback);

/** The output head, Bernoulli (binarized data) unless given. */
export const headConfig = headSchema.default({ kind: 'bernoulli' });

export const activationSchema = z.enum(['relu', 'tanh', 'sigmoid', 'elu', 'softplus']);
