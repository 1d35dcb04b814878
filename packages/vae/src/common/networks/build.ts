/** Encoder and decoder networks from the `network` config. */
import type { ParameterStore } from '@genzoo/core';
import { eventSize } from '@genzoo/core';
import type { NetworkConfig } from '../config/network.js';
import { ConvDecoder, ConvEncoder } from './conv.js';
import { MlpDecoder, MlpEncoder } from './mlp.js';
import { convImageShape } from './shapes.js';
import type { Decoder, DecoderOutputs, Encoder } from './types.js';

/** The encoder from examples of `eventShape` (plus `conditionDim` label inputs) to `outputs` values. */
export function buildEncoder(
  store: ParameterStore,
  key: string,
  config: NetworkConfig,
  eventShape: readonly number[],
  conditionDim: number,
  outputs: number,
): Encoder {
  if (config.kind === 'mlp') {
    return new MlpEncoder(
      store,
      key,
      eventSize(eventShape) + conditionDim,
      config.hidden,
      outputs,
      config.activation,
    );
  }
  return new ConvEncoder(store, key, convImageShape(eventShape), conditionDim, outputs, config);
}

/** The mirror decoder from `inputs` values (z and labels) to the likelihood's parameters. */
export function buildDecoder(
  store: ParameterStore,
  key: string,
  config: NetworkConfig,
  eventShape: readonly number[],
  inputs: number,
  outputs: DecoderOutputs,
): Decoder {
  if (config.kind === 'mlp') {
    const size = eventSize(eventShape) * outputs.perDim + outputs.perExample;
    return new MlpDecoder(store, key, inputs, config.hidden, size, config.activation);
  }
  return new ConvDecoder(store, key, convImageShape(eventShape), inputs, outputs, config);
}
