/**
 * NICE (Dinh, Krueger & Bengio, "NICE: Non-linear Independent Components Estimation", ICLR 2015
 * workshop): additive couplings (common/bijectors/additive-coupling.ts) alternating which half of the
 * dimensions they shift, and a final diagonal scaling S:
 *
 *   h⁽ᵏ⁾_b = h⁽ᵏ⁻¹⁾_b + m_k(h⁽ᵏ⁻¹⁾_a),   z = exp(s) ⊙ h⁽ᴷ⁾,   log p(x) = Σ_d [log p_Z(z_d) + s_d]
 *
 * with a logistic (or normal) base. Every coupling preserves volume; only S changes it.
 */
import { eventSize, type ModelContext, ParameterStore } from '@genzoo/core';
import { BaseDistribution } from '../common/base-distribution.js';
import { AdditiveCoupling } from '../common/bijectors/additive-coupling.js';
import type { Bijector } from '../common/bijectors/bijector.js';
import { Chain } from '../common/bijectors/chain.js';
import { vectorPartition } from '../common/bijectors/partitions.js';
import { preprocessingLayers } from '../common/bijectors/preprocessing.js';
import { Reshape } from '../common/bijectors/reshape.js';
import { mlpConditioner } from '../common/conditioners/mlp.js';
import { FlowModel } from '../common/models/flow-model.js';
import type { NiceConfig } from './config.js';
import { DiagonalScaling } from './diagonal-scaling.js';

export function createNice(config: NiceConfig, context: ModelContext): FlowModel<NiceConfig> {
  const store = new ParameterStore('nice', context.seed);
  const vector = [eventSize(context.eventShape)];
  const layers: Bijector[] = [
    ...preprocessingLayers(config.preprocess, context.eventShape, config.logitAlpha),
  ];
  if (context.eventShape.length !== 1) layers.push(new Reshape(context.eventShape, vector));
  const conditioner = mlpConditioner(store, config.hidden, config.activation);
  for (let k = 0; k < config.couplings; k++) {
    const key = `coupling${k}`;
    layers.push(
      new AdditiveCoupling(key, vector, vectorPartition(store, key, vector, config.mask, k), conditioner),
    );
  }
  layers.push(new DiagonalScaling(store, 'scaling', vector));
  return new FlowModel('nice', config, new Chain(layers, 'nice'), new BaseDistribution(config.base), store);
}
