/**
 * Binary values: p(x_i = 1 | x_<i) = σ(l_i), one logit per position (NADE, MADE and PixelCNN on binarized
 * images). Networks that read the head's encoding (MADE, the PixelCNNs) see 2x − 1, so that "off" pixels
 * differ from the convolutions' zero padding; NADE reads x itself, as in the paper.
 */
import { Bernoulli } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { singleParam, temperatureOf } from './shapes.js';
import type { OutputHead } from './types.js';

export class BernoulliHead implements OutputHead {
  readonly kind = 'bernoulli';
  readonly channels = 1;
  readonly paramsPerPosition = 1;
  readonly inputChannels = 1;

  logProb(params: tf.Tensor, x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => new Bernoulli(singleParam(params)).logProb(tf.squeeze(x, [-1])));
  }

  sample(params: tf.Tensor, seed: number, temperature: number): tf.Tensor {
    return tf.tidy(() => {
      const logits = tf.div(singleParam(params), temperatureOf(temperature));
      return tf.expandDims(new Bernoulli(logits).sample(seed), -1);
    });
  }

  encodeInput(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.mul(x, 2), 1));
  }
}
