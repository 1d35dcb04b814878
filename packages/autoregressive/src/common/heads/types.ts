/**
 * The output head of an autoregressive network: the family of the conditionals p(x_i | x_<i) and how
 * network outputs parameterize it.
 *
 * A network sees the data at a grid of **positions** (the D dimensions of a vector, the H × W pixels of
 * an image) and outputs `paramsPerPosition` numbers at each, computed from earlier positions only. The
 * head turns them into the distribution of the `channels` values at that position: one value for the
 * per-dimension heads (Bernoulli, 256-way softmax, Gaussian, logistic), all channels of a pixel jointly
 * for the discretized logistic mixture (whose channel coupling orders R → G → B within the pixel).
 *
 * Shapes: params [...positions, paramsPerPosition], values [...positions, channels], in data space.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface OutputHead {
  /** The head's config kind, e.g. `bernoulli`. */
  readonly kind: string;
  /** Values modelled jointly at one position. */
  readonly channels: number;
  /** Network outputs per position. */
  readonly paramsPerPosition: number;
  /** Channels of the network input per position (`encodeInput`'s last axis). */
  readonly inputChannels: number;
  /** log p(values at each position | params), [...positions]. */
  logProb(params: tf.Tensor, x: tf.Tensor): tf.Tensor;
  /**
   * One draw per position, [...positions, channels], at a temperature T: T < 1 sharpens the
   * conditionals towards their modes (logits / T, scales × T), T = 1 is the model itself.
   */
  sample(params: tf.Tensor, seed: number, temperature: number): tf.Tensor;
  /** The network input for data values [...positions, channels]: centred values or one-hot codes. */
  encodeInput(x: tf.Tensor): tf.Tensor;
}
