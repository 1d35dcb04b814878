/**
 * K-way softmax over discrete values: p(x_i = k | x_<i) = softmax(l_i)_k (van den Oord et al. 2016,
 * "Pixel Recurrent Neural Networks", §5.2: a 256-way softmax per 8-bit pixel value beats continuous
 * densities because it makes no assumption about the shape of the conditional).
 *
 * Two encodings of the values:
 * - `unit`: x = k/(K − 1) in [0, 1] (8-bit images with K = 256); the network sees 2x − 1.
 * - `index`: x = k itself (a grid of VQ-VAE codes); the network sees the one-hot code, since code indices
 *   have no order.
 */
import { Categorical } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkParams, levelsOf, temperatureOf } from './shapes.js';
import type { OutputHead } from './types.js';

export type CategoricalValues = 'unit' | 'index';

export class CategoricalHead implements OutputHead {
  readonly kind = 'categorical';
  readonly channels = 1;
  readonly paramsPerPosition: number;
  readonly inputChannels: number;

  constructor(
    readonly categories: number,
    readonly values: CategoricalValues,
  ) {
    this.paramsPerPosition = categories;
    this.inputChannels = values === 'index' ? categories : 1;
  }

  logProb(params: tf.Tensor, x: tf.Tensor): tf.Tensor {
    checkParams(params, this.categories);
    return tf.tidy(() => new Categorical(params).logProb(this.indexOf(tf.squeeze(x, [-1]))));
  }

  sample(params: tf.Tensor, seed: number, temperature: number): tf.Tensor {
    checkParams(params, this.categories);
    return tf.tidy(() => {
      const k = new Categorical(tf.div(params, temperatureOf(temperature))).sample(seed);
      const value =
        this.values === 'index' ? tf.cast(k, 'float32') : tf.div(tf.cast(k, 'float32'), this.categories - 1);
      return tf.expandDims(value, -1);
    });
  }

  encodeInput(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      if (this.values === 'unit') return tf.sub(tf.mul(x, 2), 1);
      const k = this.indexOf(tf.squeeze(x, [-1]));
      return tf.cast(tf.oneHot(k, this.categories), 'float32');
    });
  }

  /** The category of each value, int32. */
  private indexOf(x: tf.Tensor): tf.Tensor {
    if (this.values === 'unit') return levelsOf(x, this.categories);
    return tf.tidy(() => tf.cast(tf.clipByValue(tf.round(x), 0, this.categories - 1), 'int32'));
  }
}
