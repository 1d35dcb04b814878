/**
 * The importance-weighted autoencoder (Burda, Grosse & Salakhutdinov, "Importance Weighted Autoencoders",
 * ICLR 2016): the VAE's model (vae/model.ts) trained on the k-sample importance-weighted bound (eq. 8)
 *
 *   L_k(x) = log (1/k) Σ_s w_s,   w_s = p(x, z_s) / q(z_s|x),   z_s ~ q(z|x)
 *
 * with L_1 the ELBO and L_k ≤ L_{k+1} ≤ log p(x) (Theorem 1). What is specific to the IWAE is this setting:
 * the bound and its k. The bound itself (and VIMCO, its score-function estimator) is shared and lives in
 * common/objectives/iwae.ts: the two-layer `hvae` trains on it too, and every model's importance-sampled
 * log p(x) and `iwaeBound` evaluation use its log-weights.
 */
import type { ModelContext } from '@genzoo/core';
import { trainingOptionsOf } from '../common/config/settings.js';
import { Vae } from '../vae/model.js';
import type { IwaeConfig } from './config.js';

/** The VAE of the config trained on the k-sample bound L_k (β = 1). */
export function createIwae(config: IwaeConfig, context: ModelContext): Vae<IwaeConfig> {
  return new Vae('iwae', config, context, {
    bound: 'iwae',
    samples: config.k,
    beta: 1,
    ...trainingOptionsOf(config),
  });
}
