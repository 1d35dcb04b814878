/**
 * Continuous conditionals for real-valued vectors (MADE on dequantized pixels, and the conditioners of
 * masked autoregressive flows): a Gaussian N(μ_i, σ_i²) or a logistic(μ_i, s_i) per dimension, each from
 * two network outputs (location, log-scale). The log-scale is clamped to [−7, 5] (as PixelCNN++ clamps
 * its log-scales at −7), so that a confident network cannot drive the density to +∞ on a value that
 * repeats in the data; inside the bounds the output is the log-scale itself.
 */
import { Logistic, Normal } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkParams, temperatureOf } from './shapes.js';
import type { OutputHead } from './types.js';

const MIN_LOG_SCALE = -7;
const MAX_LOG_SCALE = 5;

export type ContinuousFamily = 'gaussian' | 'logistic';

export class ContinuousHead implements OutputHead {
  readonly channels = 1;
  readonly paramsPerPosition = 2;
  readonly inputChannels = 1;

  constructor(readonly kind: ContinuousFamily) {}

  logProb(params: tf.Tensor, x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [loc, logScale] = this.split(params);
      const value = tf.squeeze(x, [-1]);
      return this.kind === 'gaussian'
        ? new Normal(loc, { logScale }).logProb(value)
        : new Logistic(loc, logScale).logProb(value);
    });
  }

  sample(params: tf.Tensor, seed: number, temperature: number): tf.Tensor {
    return tf.tidy(() => {
      const [loc, logScale] = this.split(params);
      const scaled = tf.add(logScale, Math.log(temperatureOf(temperature)));
      const draw =
        this.kind === 'gaussian'
          ? new Normal(loc, { logScale: scaled }).sample(seed)
          : new Logistic(loc, scaled).sample(seed);
      return tf.expandDims(draw, -1);
    });
  }

  encodeInput(x: tf.Tensor): tf.Tensor {
    return tf.clone(x);
  }

  private split(params: tf.Tensor): [tf.Tensor, tf.Tensor] {
    checkParams(params, 2);
    const [loc, rawLogScale] = tf.split(params, 2, -1).map((t) => tf.squeeze(t, [-1]));
    return [loc, tf.clipByValue(rawLogScale, MIN_LOG_SCALE, MAX_LOG_SCALE)];
  }
}
