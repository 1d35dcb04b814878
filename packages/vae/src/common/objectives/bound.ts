/** What an objective returns for one batch: the loss to minimize and the metrics to log, all scalars. */
import type * as tf from '@tensorflow/tfjs-core';

export interface BoundLoss {
  loss: tf.Scalar;
  metrics: Record<string, tf.Scalar>;
}

export interface LossOptions {
  /** The KL weight of this step (β_t after warm-up). */
  beta: number;
  freeBits: number;
  estimator: 'reparameterization' | 'score-function';
  baseline: 'leave-one-out' | 'none';
}
