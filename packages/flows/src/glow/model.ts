/**
 * Glow (Kingma & Dhariwal, "Glow: Generative Flow with Invertible 1×1 Convolutions", NeurIPS 2018): the
 * multi-scale architecture of RealNVP with each step of flow
 *
 *   ActNorm → invertible 1×1 convolution → coupling (channel split)
 *
 * and L levels of squeeze → K steps → split (Figure 2). The 1×1 convolution replaces the fixed channel
 * permutation between couplings, so every coupling transforms the second half of the channels given
 * the first. A split's factored half has the learned prior N(μ(h), σ(h)²) given the kept half h.
 */
import { ConfigError, deriveSeed, type ModelContext, ParameterStore } from '@genzoo/core';
import { BaseDistribution } from '../common/base-distribution.js';
import { ActNorm } from '../common/bijectors/actnorm.js';
import { AdditiveCoupling } from '../common/bijectors/additive-coupling.js';
import { AffineCoupling } from '../common/bijectors/affine-coupling.js';
import type { Bijector } from '../common/bijectors/bijector.js';
import { Chain } from '../common/bijectors/chain.js';
import { FactorOut } from '../common/bijectors/factor-out.js';
import { ChannelPartition } from '../common/bijectors/partitions.js';
import { preprocessingLayers } from '../common/bijectors/preprocessing.js';
import { Squeeze } from '../common/bijectors/squeeze.js';
import { glowConditioner, zeroConvConditioner } from '../common/conditioners/convolutional.js';
import { FlowModel } from '../common/models/flow-model.js';
import type { GlowConfig } from './config.js';
import { InvertibleConv1x1 } from './invertible-conv1x1.js';

export function createGlow(config: GlowConfig, context: ModelContext): FlowModel<GlowConfig> {
  const { eventShape, seed } = context;
  if (eventShape.length !== 3) {
    throw new ConfigError(
      `glow is an image flow: expected examples [H, W, C], got [${eventShape}] (use realnvp or maf for vectors)`,
    );
  }
  const store = new ParameterStore('glow', seed);
  const conditioner = glowConditioner(store, config.features);

  const step = (key: string, shape: readonly number[]): Bijector[] => {
    const partition = new ChannelPartition(shape, 0);
    return [
      new ActNorm(store, `${key}/actnorm`, shape),
      new InvertibleConv1x1(store, `${key}/conv1x1`, shape, config.conv1x1, deriveSeed(seed, key, 'conv1x1')),
      config.coupling === 'affine'
        ? new AffineCoupling(store, `${key}/coupling`, shape, partition, conditioner, config.scale)
        : new AdditiveCoupling(`${key}/coupling`, shape, partition, conditioner),
    ];
  };
  const level = (l: number, shape: readonly number[]): Bijector => {
    const squeeze = new Squeeze(shape);
    const squeezed = squeeze.outputShape;
    const layers: Bijector[] = [squeeze];
    for (let k = 0; k < config.steps; k++) layers.push(...step(`level${l}/step${k}`, squeezed));
    if (l < config.levels - 1) {
      const kept = [squeezed[0], squeezed[1], Math.ceil(squeezed[2] / 2)];
      const prior = config.prior === 'learned' ? zeroConvConditioner(store) : undefined;
      layers.push(new FactorOut(`level${l}/split`, squeezed, level(l + 1, kept), prior));
    }
    return new Chain(layers, `level${l}`);
  };
  const layers = [
    ...preprocessingLayers(config.preprocess, eventShape, config.logitAlpha),
    level(0, eventShape),
  ];
  return new FlowModel('glow', config, new Chain(layers, 'glow'), new BaseDistribution(config.base), store);
}
