/**
 * Bernoulli observations on logits l (binary data, e.g. binarized MNIST):
 *
 *   log p(x|z) = Σ_d x_d log σ(l_d) + (1 − x_d) log(1 − σ(l_d))      (−binary cross-entropy)
 *              = Σ_d x_d l_d − softplus(l_d)                         (log σ(l) = l − softplus(l))
 *   E[x|z]     = σ(l)
 *
 * The second form is what is computed: it is finite for every logit, like core's `Bernoulli`, but needs
 * one transcendental per pixel instead of two, and this term is evaluated for every one of the thousands
 * of latent draws per example of an importance-sampled log p(x).
 */
import { Bernoulli } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ObservationModel } from './types.js';

export class BernoulliObservation implements ObservationModel {
  readonly kind = 'bernoulli';
  readonly outputs = { perDim: 1, perExample: 0 };

  logProb(outputs: tf.Tensor, x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sum(tf.sub(tf.mul(x, outputs), tf.softplus(outputs)), -1));
  }

  mean(outputs: tf.Tensor): tf.Tensor {
    return tf.sigmoid(outputs);
  }

  sample(outputs: tf.Tensor, seed: number): tf.Tensor {
    return new Bernoulli(outputs).sample(seed);
  }
}
