import { z } from 'zod';
import { latentDraws, singleLayerShape } from '../common/config/single-layer.js';
import { checkFreeBits } from '../common/config/training.js';

/** IWAE configuration: the VAE's networks and the number of importance samples k of the training bound. */
export const iwaeConfigSchema = z
  .strictObject({
    ...singleLayerShape,
    /** Draws per example in the bound log (1/k) Σ w_k; k = 1 is the ELBO. */
    k: latentDraws(5),
  })
  .superRefine((config, ctx) => checkFreeBits(config, 'iwae', ctx));

export type IwaeConfig = z.infer<typeof iwaeConfigSchema>;
