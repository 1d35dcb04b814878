/**
 * NICE's final diagonal scaling (Dinh et al. 2015, §3.3): y = x ⊙ exp(s) with a learned s per
 * dimension, log |det| = Σ_d s_d. It is the only part of NICE that changes volume; large s_d mark
 * unimportant directions (the "latent dimensions" the model spends little density on).
 */
import { initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from '../common/bijectors/bijector.js';
import { perExample } from '../common/bijectors/log-det.js';

export class DiagonalScaling implements Bijector {
  readonly name = 'diagonal-scaling';
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly logScale: tf.Variable;

  constructor(params: ParameterStore, key: string, eventShape: readonly number[]) {
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.logScale = params.create(`${key}/log-scale`, [...eventShape], initializers.zeros());
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.mul(x, tf.exp(this.logScale)),
      logDet: perExample(tf.sum(this.logScale), x.shape[0]),
    }));
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.mul(y, tf.exp(tf.neg(this.logScale))),
      logDet: perExample(tf.neg(tf.sum(this.logScale)), y.shape[0]),
    }));
  }
}
