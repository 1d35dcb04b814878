/**
 * MAF (Papamakarios, Pavlakou & Murray, "Masked Autoregressive Flow for Density Estimation", NeurIPS
 * 2017) as a density model: K masked affine autoregressive layers (maf/masked-affine-autoregressive.ts),
 * each a MADE giving μ_i and α_i from the dimensions before i,
 *
 *   z_i = (x_i − μ_i(x_<i)) · exp(−α_i(x_<i)),     log p(x) = log p_Z(z) − Σ_i α_i(x_<i)
 *
 * with the order reversed between them. MAF evaluates log p(x) in one pass per layer and samples in D.
 * `createMaf('iaf', …)` builds IAF (iaf/model.ts, Kingma et al. 2016): the same layers inverted — one
 * pass per layer to sample, D to evaluate (so it trains slowly on high-dimensional data).
 */
import { deriveSeed, eventSize, type ModelContext, ParameterStore } from '@genzoo/core';
import { BaseDistribution } from '../common/base-distribution.js';
import { ActNorm } from '../common/bijectors/actnorm.js';
import type { Bijector } from '../common/bijectors/bijector.js';
import { Chain } from '../common/bijectors/chain.js';
import { Inverse } from '../common/bijectors/inverse.js';
import { Permutation } from '../common/bijectors/permutation.js';
import { preprocessingLayers } from '../common/bijectors/preprocessing.js';
import { Reshape } from '../common/bijectors/reshape.js';
import { FlowModel } from '../common/models/flow-model.js';
import type { MafConfig } from './config.js';
import { MaskedAffineAutoregressive } from './masked-affine-autoregressive.js';

export type AutoregressiveDirection = 'maf' | 'iaf';

export function createMaf(
  direction: AutoregressiveDirection,
  config: MafConfig,
  context: ModelContext,
): FlowModel<MafConfig> {
  const store = new ParameterStore(direction, context.seed);
  const vector = [eventSize(context.eventShape)];
  const layers: Bijector[] = [
    ...preprocessingLayers(config.preprocess, context.eventShape, config.logitAlpha),
  ];
  if (context.eventShape.length !== 1) layers.push(new Reshape(context.eventShape, vector));
  for (let k = 0; k < config.layers; k++) {
    const key = `layer${k}`;
    if (k > 0 && config.ordering === 'natural')
      layers.push(new Permutation(store, `${key}/reverse`, vector, 'reverse', 0));
    const maf = new MaskedAffineAutoregressive(store, key, vector, {
      hidden: config.hidden,
      activation: config.activation,
      ordering: config.ordering,
      hiddenDegrees: config.hiddenDegrees,
      scale: config.scale,
      seed: deriveSeed(context.seed, key),
    });
    layers.push(direction === 'maf' ? maf : new Inverse(maf));
    if (config.actnorm) layers.push(new ActNorm(store, `${key}/actnorm`, vector));
  }
  return new FlowModel(
    direction,
    config,
    new Chain(layers, direction),
    new BaseDistribution(config.base),
    store,
  );
}
