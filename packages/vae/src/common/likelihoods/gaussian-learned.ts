/**
 * Gaussian observations with a learned variance, per pixel or per image (the heteroscedastic decoder of
 * Kingma & Welling 2014, App. C.2; one variance per image is the "σ-VAE" of Rybkin et al. 2021):
 *
 *   log p(x|z) = Σ_d −½ [ln 2πv_d + (x_d − μ_d)²/v_d]
 *   v          = v_min + softplus(s)
 *
 * where the decoder outputs a mean μ_d and a raw s_d for every pixel (`per: 'pixel'`), or a mean for every
 * pixel and one s for the whole example (`per: 'image'`, v_d = v for all d). The floor v_min bounds the
 * density where a pixel is (nearly) constant in the data.
 */
import { Normal } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ObservationModel } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

export class LearnedVarianceGaussian implements ObservationModel {
  readonly kind = 'gaussian-learned';
  readonly outputs: { perDim: number; perExample: number };

  constructor(
    /** Data dimensions D. */
    private readonly dims: number,
    readonly per: 'pixel' | 'image',
    readonly minVariance: number,
  ) {
    this.outputs = per === 'pixel' ? { perDim: 2, perExample: 0 } : { perDim: 1, perExample: 1 };
  }

  /** Written out rather than through `Normal`: the same density in fewer elementwise passes. */
  logProb(outputs: tf.Tensor, x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { mean, raw } = this.split(outputs);
      const variance = this.varianceOf(raw);
      const perPixel = tf.add(tf.log(variance), tf.div(tf.square(tf.sub(x, mean)), variance));
      return tf.mul(-0.5, tf.add(tf.sum(perPixel, -1), this.dims * LOG_2PI));
    });
  }

  mean(outputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.split(outputs).mean);
  }

  sample(outputs: tf.Tensor, seed: number): tf.Tensor {
    return tf.tidy(() => {
      const { mean, raw } = this.split(outputs);
      return new Normal(mean, tf.sqrt(this.varianceOf(raw))).sample(seed);
    });
  }

  /** The variances v, [..., D] per pixel or [..., 1] per image. */
  variance(outputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.varianceOf(this.split(outputs).raw));
  }

  private varianceOf(raw: tf.Tensor): tf.Tensor {
    return tf.add(this.minVariance, tf.softplus(raw));
  }

  /** Means [..., D] and raw variance outputs [..., D] per pixel or [..., 1] per image (see `Decoder`'s layout). */
  private split(outputs: tf.Tensor): { mean: tf.Tensor; raw: tf.Tensor } {
    const [mean, raw] = tf.split(outputs, [this.dims, this.per === 'pixel' ? this.dims : 1], -1);
    return { mean, raw };
  }
}
