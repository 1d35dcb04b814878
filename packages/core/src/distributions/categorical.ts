/**
 * The categorical distribution over the last axis of `logits` [..., C], p = softmax(l).
 *
 *   log p(k) = l_k − logΣ_j exp(l_j)         (log-softmax, computed with the max subtracted)
 *   H        = −Σ_k p_k log p_k
 *
 * Sampling uses the Gumbel-max trick (Gumbel 1954; Maddison et al. 2014): argmax_k (l_k + g_k) with
 * g_k = −log(−log u_k), u_k ~ U(0, 1), is distributed as Categorical(softmax(l)). Logits may contain
 * −Inf to mask categories out. Batch shape is logits.shape without its last axis; see `Normal` for
 * ownership rules.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { openUniform, withoutGradient } from './util.js';

export class Categorical {
  readonly numCategories: number;
  readonly batchShape: number[];

  constructor(readonly logits: tf.Tensor) {
    if (logits.rank < 1) throw new ShapeError('Categorical: logits need a category axis, got a scalar');
    this.numCategories = logits.shape[logits.rank - 1];
    this.batchShape = logits.shape.slice(0, -1);
  }

  /** Normalized log-probabilities, same shape as the logits. */
  logProbs(): tf.Tensor {
    return tf.logSoftmax(this.logits);
  }

  probs(): tf.Tensor {
    return tf.softmax(this.logits);
  }

  /**
   * log p(value). `value` is either int32 category indices of the batch shape, or one-hot rows (any
   * dtype; probability-weighted rows give Σ_k value_k log p_k) of the logits' shape; the two differ in
   * rank. Indices are turned into one-hot rows and multiplied rather than gathered, because tfjs's
   * GatherV2 gradient does not support this use.
   */
  logProb(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const oneHot = tf.cast(
        value.rank === this.logits.rank ? this.checkOneHot(value) : this.indicesToOneHot(value),
        'float32',
      );
      // Masked categories have log p = −Inf and weight 0; 0·(−Inf) would be NaN.
      const terms = tf.where(tf.equal(oneHot, 0), tf.zerosLike(oneHot), tf.mul(oneHot, this.logProbs()));
      return tf.sum(terms, -1);
    });
  }

  /** Elementwise (over the batch shape) entropy in nats. */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const logP = this.logProbs();
      const p = tf.exp(logP);
      const terms = tf.where(tf.equal(p, 0), tf.zerosLike(p), tf.mul(p, logP));
      return tf.neg(tf.sum(terms, -1));
    });
  }

  /** The most probable category, int32 of the batch shape. */
  mode(): tf.Tensor {
    return tf.argMax(this.logits, -1);
  }

  /** int32 category indices of shape [...sampleShape, ...batchShape], by Gumbel-max. */
  sample(seed: number, sampleShape: number[] = []): tf.Tensor {
    return withoutGradient([this.logits], () =>
      tf.tidy(() => {
        const u = openUniform([...sampleShape, ...this.logits.shape], seed);
        const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
        return tf.argMax(tf.add(this.logits, gumbel), -1);
      }),
    );
  }

  private indicesToOneHot(indices: tf.Tensor): tf.Tensor {
    const expected = this.batchShape;
    if (indices.rank !== expected.length || indices.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(
        `Categorical.logProb: indices must have the batch shape [${expected}] (or one-hot rows the ` +
          `logits' shape [${this.logits.shape}]), got [${indices.shape}]`,
      );
    }
    if (indices.dtype !== 'int32') {
      throw new ShapeError(`Categorical.logProb: category indices must be int32, got ${indices.dtype}`);
    }
    // tf.oneHot rejects depth 1; a single category is index 0 everywhere.
    if (this.numCategories === 1) return tf.ones([...indices.shape, 1]);
    return tf.oneHot(indices, this.numCategories);
  }

  private checkOneHot(value: tf.Tensor): tf.Tensor {
    if (value.shape.some((d, i) => d !== this.logits.shape[i])) {
      throw new ShapeError(
        `Categorical.logProb: one-hot rows must have the logits' shape [${this.logits.shape}], got [${value.shape}]`,
      );
    }
    return value;
  }
}
