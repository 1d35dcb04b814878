/**
 * IAF (Kingma, Salimans, Jozefowicz, Chen, Sutskever & Welling, "Improved Variational Inference with
 * Inverse Autoregressive Flow", NeurIPS 2016) as a density model: the MAF of maf/model.ts with every
 * masked affine autoregressive layer inverted (Papamakarios et al. 2017, §3.3) — the MAF layer's map
 * with data and latent swapped, its MADE now reading the latent z:
 *
 *   x_i = (z_i − μ_i(z_<i)) · exp(−α_i(z_<i)),     log p(x) = log p_Z(z) + Σ_i α_i(z_<i)
 *
 * Sampling is one MADE pass per layer; log p(x) needs z from x, z_i = x_i · exp(α_i(z_<i)) + μ_i(z_<i),
 * which is sequential: D passes per layer (so it trains slowly on high-dimensional data). The
 * configuration is MAF's (maf/config.ts); what is IAF's own is the direction, `createMaf('iaf', …)`,
 * which wraps each layer in `Inverse` (common/bijectors/inverse.ts).
 */
import type { ModelContext } from '@genzoo/core';
import type { FlowModel } from '../common/models/flow-model.js';
import type { MafConfig } from '../maf/config.js';
import { createMaf } from '../maf/model.js';

export function createIaf(config: MafConfig, context: ModelContext): FlowModel<MafConfig> {
  return createMaf('iaf', config, context);
}
