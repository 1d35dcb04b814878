/** Generator and discriminator-body networks from a network config. */
import type { ParameterStore } from '@genzoo/core';
import type { NetworkConfig } from '../config/network.js';
import { DcganFeatures, DcganGenerator, dcganImage } from './dcgan.js';
import { MlpFeatures, MlpGenerator } from './mlp.js';
import type { OutputActivation } from './output.js';
import type { FeatureNetwork, GeneratorNetwork } from './types.js';

export function buildGenerator(
  store: ParameterStore,
  key: string,
  network: NetworkConfig,
  inputDim: number,
  eventShape: readonly number[],
  output: OutputActivation,
): GeneratorNetwork {
  if (network.kind === 'mlp') return new MlpGenerator(store, key, inputDim, eventShape, output, network);
  const image = dcganImage(eventShape, network.generatorChannels.length, 'network.generatorChannels');
  return new DcganGenerator(store, key, inputDim, image, output, network);
}

/**
 * The body of a discriminator (or of BiGAN's encoder): the network up to its features. An encoder is used
 * for inference on any batch, so it never takes batch norm (`batchNorm: false`); a discriminator follows
 * the config.
 */
export function buildFeatures(
  store: ParameterStore,
  key: string,
  network: NetworkConfig,
  eventShape: readonly number[],
  options: { batchNorm?: boolean } = {},
): FeatureNetwork {
  if (network.kind === 'mlp') return new MlpFeatures(store, key, eventShape, network.discriminatorHidden);
  const channels = network.discriminatorChannels;
  const image = dcganImage(eventShape, channels.length, 'network.discriminatorChannels');
  const batchNorm = options.batchNorm ?? network.discriminatorBatchNorm;
  return new DcganFeatures(store, key, image, channels, network, batchNorm);
}
