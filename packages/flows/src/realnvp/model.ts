/**
 * RealNVP (Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", ICLR 2017): affine
 * couplings (common/bijectors/affine-coupling.ts), y_b = x_b ⊙ exp(s(x_a)) + t(x_a), log |det| = Σ s(x_a).
 *
 * On vectors, a stack of couplings alternating their partition. On images, the multi-scale
 * architecture of §3.6: at each scale, checkerboard couplings, a squeeze, channel-wise couplings, and
 * half of the channels factored out to the base distribution; the finest scale is checkerboard
 * couplings only. Images in [0, 1] usually go through the logit preprocessing of §4.1 first.
 */
import { ConfigError, type ModelContext, ParameterStore } from '@genzoo/core';
import { BaseDistribution } from '../common/base-distribution.js';
import { ActNorm } from '../common/bijectors/actnorm.js';
import { AffineCoupling } from '../common/bijectors/affine-coupling.js';
import type { Bijector } from '../common/bijectors/bijector.js';
import { Chain } from '../common/bijectors/chain.js';
import { FactorOut } from '../common/bijectors/factor-out.js';
import {
  ChannelPartition,
  MaskPartition,
  type Parity,
  type Partition,
  vectorPartition,
} from '../common/bijectors/partitions.js';
import { preprocessingLayers } from '../common/bijectors/preprocessing.js';
import { Squeeze } from '../common/bijectors/squeeze.js';
import type { ConditionerFactory } from '../common/conditioners/conditioner.js';
import { resnetConditioner } from '../common/conditioners/convolutional.js';
import { mlpConditioner } from '../common/conditioners/mlp.js';
import { FlowModel } from '../common/models/flow-model.js';
import type { RealnvpConfig } from './config.js';

export function createRealnvp(config: RealnvpConfig, context: ModelContext): FlowModel<RealnvpConfig> {
  const store = new ParameterStore('realnvp', context.seed);
  const { eventShape } = context;
  const coupling = (
    key: string,
    shape: readonly number[],
    partition: Partition,
    conditioner: ConditionerFactory,
  ) => {
    const layers: Bijector[] = [new AffineCoupling(store, key, shape, partition, conditioner, config.scale)];
    if (config.actnorm) layers.push(new ActNorm(store, `${key}/actnorm`, shape));
    return layers;
  };

  let body: Bijector[];
  if (eventShape.length === 1) {
    const conditioner = mlpConditioner(store, config.hidden, config.activation);
    body = Array.from({ length: config.couplings }, (_, k) =>
      coupling(
        `coupling${k}`,
        eventShape,
        vectorPartition(store, `coupling${k}`, eventShape, config.mask, k),
        conditioner,
      ),
    ).flat();
  } else if (eventShape.length === 3) {
    const conditioner = resnetConditioner(store, config.features, config.blocks);
    const scale = (level: number, shape: readonly number[]): Bijector => {
      const key = `scale${level}`;
      const last = level === config.levels - 1;
      const layers: Bijector[] = [];
      const checkerboards = last ? config.finalCouplings : config.couplingsPerScale;
      for (let i = 0; i < checkerboards; i++) {
        const k = `${key}/checkerboard${i}`;
        layers.push(
          ...coupling(
            k,
            shape,
            new MaskPartition(store, k, shape, 'checkerboard', (i % 2) as Parity),
            conditioner,
          ),
        );
      }
      if (!last) {
        const squeeze = new Squeeze(shape);
        const squeezed = squeeze.outputShape;
        layers.push(squeeze);
        for (let i = 0; i < config.couplingsPerScale; i++) {
          const k = `${key}/channel${i}`;
          layers.push(
            ...coupling(k, squeezed, new ChannelPartition(squeezed, (i % 2) as Parity), conditioner),
          );
        }
        const kept = [squeezed[0], squeezed[1], Math.ceil(squeezed[2] / 2)];
        layers.push(new FactorOut(`${key}/factor-out`, squeezed, scale(level + 1, kept)));
      }
      return new Chain(layers, key);
    };
    body = [scale(0, eventShape)];
  } else {
    throw new ConfigError(
      `realnvp: expected vectors [D] or images [H, W, C], got examples of shape [${eventShape}]`,
    );
  }
  const layers = [...preprocessingLayers(config.preprocess, eventShape, config.logitAlpha), ...body];
  return new FlowModel(
    'realnvp',
    config,
    new Chain(layers, 'realnvp'),
    new BaseDistribution(config.base),
    store,
  );
}
