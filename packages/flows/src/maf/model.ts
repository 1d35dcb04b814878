/**
 * MAF (Papamakarios, Pavlakou & Murray, "Masked Autoregressive Flow for Density Estimation", NeurIPS
 * 2017) and IAF (Kingma, Salimans, Jozefowicz, Chen, Sutskever & Welling, "Improved Variational
 * Inference with Inverse Autoregressive Flow", NeurIPS 2016) as density models: K masked affine
 * autoregressive layers (bijectors/masked-affine-autoregressive.ts) with the order reversed between
 * them. MAF evaluates log p(x) in one pass per layer and samples in D; IAF is the same layers inverted —
 * one pass per layer to sample, D to evaluate (so it trains slowly on high-dimensional data).
 */
import { deriveSeed, eventSize, type ModelContext, ParameterStore } from '@genzoo/core';
import { BaseDistribution } from '../base/base-distribution.js';
import { ActNorm } from '../bijectors/actnorm.js';
import type { Bijector } from '../bijectors/bijector.js';
import { Chain } from '../bijectors/chain.js';
import { Inverse } from '../bijectors/inverse.js';
import { MaskedAffineAutoregressive } from '../bijectors/masked-affine-autoregressive.js';
import { Permutation } from '../bijectors/permutation.js';
import { preprocessingLayers } from '../bijectors/preprocessing.js';
import { Reshape } from '../bijectors/reshape.js';
import { FlowModel } from '../models/flow-model.js';
import type { MafConfig } from './config.js';

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
