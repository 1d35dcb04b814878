/**
 * Gaussian observations with a fixed variance v (the "MSE" decoder, written as the density it is):
 *
 *   log p(x|z) = Σ_d −½ [ln 2πv + (x_d − μ_d)²/v] = −‖x − μ‖²/(2v) − (D/2) ln 2πv
 *   E[x|z]     = μ (the decoder output, unconstrained)
 *
 * Keeping the log-normalizer makes the ELBO a bound on a real log-density, so bits/dim can be reported.
 */
import { Normal } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ObservationModel } from './types.js';

export class FixedVarianceGaussian implements ObservationModel {
  readonly kind = 'gaussian-fixed';
  readonly outputs = { perDim: 1, perExample: 0 };
  private readonly stddev: number;

  constructor(readonly variance: number) {
    this.stddev = Math.sqrt(variance);
  }

  logProb(outputs: tf.Tensor, x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const dims = outputs.shape[outputs.rank - 1];
      const squares = tf.sum(tf.square(tf.sub(x, outputs)), -1);
      return tf.sub(
        tf.mul(-0.5 / this.variance, squares),
        0.5 * dims * Math.log(2 * Math.PI * this.variance),
      );
    });
  }

  mean(outputs: tf.Tensor): tf.Tensor {
    return tf.clone(outputs);
  }

  sample(outputs: tf.Tensor, seed: number): tf.Tensor {
    return tf.tidy(() => new Normal(outputs, tf.scalar(this.stddev)).sample(seed));
  }
}
