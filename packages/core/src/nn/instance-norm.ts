/**
 * Instance normalization (Ulyanov, Vedaldi & Lempitsky 2016, "Instance Normalization: The Missing
 * Ingredient for Fast Stylization") of NHWC images, per example and channel over the spatial axes:
 *
 *   y_nhwc = γ_c · (x_nhwc − μ_nc) / √(σ²_nc + ε) + β_c        μ_nc, σ²_nc the mean and (biased) variance
 *                                                              of x_n··c over H × W
 *
 * Unlike batch norm it never mixes the examples of a batch, so training and inference compute the same
 * function and there are no running statistics to keep (the image-translation generators of CycleGAN and
 * pix2pix use it for that reason). γ and β are learned per channel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers, type ParameterStore } from './params.js';

export class InstanceNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;

  constructor(
    params: ParameterStore,
    key: string,
    channels: number,
    private readonly epsilon = 1e-5,
  ) {
    this.gamma = params.create(`${key}/gamma`, [channels], initializers.ones());
    this.beta = params.create(`${key}/beta`, [channels], initializers.zeros());
  }

  /** x: [batch, height, width, channels]. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, [1, 2], true);
      const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta) as tf.Tensor4D;
    });
  }
}
