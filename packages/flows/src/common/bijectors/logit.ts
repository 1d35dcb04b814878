/**
 * Logit preprocessing (RealNVP, Dinh et al. 2017, §4.1): data in [0, 1] (dequantized pixels) mapped to
 * the real line, where a Gaussian base can model it without boundary effects:
 *
 *   x' = α + (1 − 2α) x,    y = logit(x') = log x' − log(1 − x')
 *   log |det ∂y/∂x| = Σ_d [log(1 − 2α) − log x'_d − log(1 − x'_d)]
 *                   = Σ_d [log(1 − 2α) + softplus(y_d) + softplus(−y_d)]
 *
 * (the second form is the stable one). α = 0.05 in RealNVP keeps x' away from 0 and 1. The log-det is
 * part of log p(x), so bits/dim stay those of the data in [0, 1].
 */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';
import { sumPerExample } from './log-det.js';

export class Logit implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(
    eventShape: readonly number[],
    private readonly alpha = 0.05,
  ) {
    if (!(alpha >= 0 && alpha < 0.5)) throw new ConfigError(`logit: alpha must be in [0, 0.5), got ${alpha}`);
    this.name = `logit(α=${alpha})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
  }

  /** Σ_d log |dy_d/dx_d| as a function of y. */
  private logDetAt(y: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() =>
      sumPerExample(tf.add(tf.add(tf.softplus(y), tf.softplus(tf.neg(y))), Math.log(1 - 2 * this.alpha))),
    );
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const squeezed = tf.add(tf.mul(x, 1 - 2 * this.alpha), this.alpha);
      const y = tf.sub(tf.log(squeezed), tf.log1p(tf.neg(squeezed)));
      return { y, logDet: this.logDetAt(y) };
    });
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => ({
      y: tf.div(tf.sub(tf.sigmoid(y), this.alpha), 1 - 2 * this.alpha),
      logDet: tf.neg(this.logDetAt(y)) as tf.Tensor1D,
    }));
  }
}
