/** The decoder's observation model p(x|z), read from the decoder's outputs. */
import type * as tf from '@tensorflow/tfjs-core';
import type { DecoderOutputs } from '../networks/types.js';

export interface ObservationModel {
  /** The config kind, e.g. `bernoulli`. */
  readonly kind: string;
  /** How many decoder outputs the model reads per data dimension and per example. */
  readonly outputs: DecoderOutputs;
  /**
   * log p(x|z) summed over the D data dimensions: `outputs` [..., D·perDim + perExample] from the decoder,
   * `x` [..., D] broadcastable against them (one [B, D] batch against [S, B, ·] outputs of S latent draws).
   * Returns [...]: one value per decoded row.
   */
  logProb(outputs: tf.Tensor, x: tf.Tensor): tf.Tensor;
  /** E[x|z], [..., D]. */
  mean(outputs: tf.Tensor): tf.Tensor;
  /** A draw x ~ p(x|z), [..., D]. */
  sample(outputs: tf.Tensor, seed: number): tf.Tensor;
}
