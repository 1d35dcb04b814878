/** Maximum likelihood: the loss is the batch mean of the exact −log p(x) (nats per example). */
import type { Batch, Objective, ObjectiveResult } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export function nllObjective(logProb: (x: tf.Tensor) => tf.Tensor1D): Objective {
  return {
    name: 'nll',
    compute(batch: Batch): ObjectiveResult {
      const nll = tf.tidy(() => tf.neg(tf.mean(logProb(batch.x))) as tf.Scalar);
      return { loss: nll, metrics: { nll: tf.clone(nll) } };
    },
  };
}
