/**
 * The Bernoulli distribution on logits l, p = σ(l), for binary data (binarized MNIST pixels).
 *
 *   log p(x) = x·log σ(l) + (1 − x)·log(1 − σ(l))
 *            = −x·softplus(−l) − (1 − x)·softplus(l)          (= −BCE-with-logits)
 *   H        = σ(l)·softplus(−l) + (1 − σ(l))·softplus(l)
 *
 * Written with softplus, log σ(l) = −softplus(−l) never evaluates log 0: at l = ±100 the result is
 * finite (0 or −100), where log(sigmoid(l)) would give −Inf. x may be fractional in [0, 1] (the
 * continuous relaxation used with grey-level targets). Elementwise; see `Normal` for ownership rules.
 */
import * as tf from '@tensorflow/tfjs-core';
import { openUniform, withoutGradient } from './util.js';

export class Bernoulli {
  constructor(readonly logits: tf.Tensor) {}

  /** p = σ(l), the mean. */
  mean(): tf.Tensor {
    return tf.sigmoid(this.logits);
  }

  /** Elementwise log p(x). */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const logP = tf.mul(x, tf.softplus(tf.neg(this.logits)));
      const logQ = tf.mul(tf.sub(1, x), tf.softplus(this.logits));
      return tf.neg(tf.add(logP, logQ));
    });
  }

  /** Elementwise entropy in nats. */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const p = tf.sigmoid(this.logits);
      return tf.add(
        tf.mul(p, tf.softplus(tf.neg(this.logits))),
        tf.mul(tf.sub(1, p), tf.softplus(this.logits)),
      );
    });
  }

  /** 0/1 float32 draws of shape [...sampleShape, ...logits.shape]: x = [u < σ(l)], u ~ U(0, 1). */
  sample(seed: number, sampleShape: number[] = []): tf.Tensor {
    return withoutGradient([this.logits], () =>
      tf.tidy(() => {
        const u = openUniform([...sampleShape, ...this.logits.shape], seed);
        return tf.cast(tf.less(u, tf.sigmoid(this.logits)), 'float32');
      }),
    );
  }
}
