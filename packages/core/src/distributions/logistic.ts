/**
 * The logistic distribution with location μ and scale s = exp(logScale).
 *
 *   z          = (x − μ)/s
 *   log p(x)   = −z − 2·softplus(−z) − log s
 *   F(x)       = σ(z),  log F(x) = −softplus(−z)
 *   F⁻¹(u)     = μ + s·(log u − log(1 − u))
 *   H          = log s + 2,   Var = s²π²/3
 *
 * The base distribution of NICE (Dinh et al. 2015) and the building block of PixelCNN++'s discretized
 * logistic mixture. Elementwise; see `Normal` for ownership rules.
 */
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, openUniform, withoutGradient } from './util.js';

export class Logistic {
  readonly batchShape: number[];

  constructor(
    readonly loc: tf.Tensor,
    readonly logScale: tf.Tensor,
  ) {
    this.batchShape = broadcastShapes(loc.shape, logScale.shape);
  }

  mean(): tf.Tensor {
    return tf.broadcastTo(this.loc, this.batchShape);
  }

  variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.mul(tf.exp(tf.mul(2, this.logScale)), (Math.PI * Math.PI) / 3), this.batchShape),
    );
  }

  /** Elementwise log-density. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const z = this.standardize(x);
      return tf.sub(tf.sub(tf.neg(z), tf.mul(2, tf.softplus(tf.neg(z)))), this.logScale);
    });
  }

  /** Elementwise F(x) = σ((x − μ)/s). */
  cdf(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sigmoid(this.standardize(x)));
  }

  /** Elementwise log F(x) = −softplus(−z), finite far in the left tail where log(cdf) underflows. */
  logCdf(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.neg(tf.softplus(tf.neg(this.standardize(x)))));
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(this.logScale, 2), this.batchShape));
  }

  /** Inverse-CDF draws of shape [...sampleShape, ...batchShape]; no gradient flows to the parameters. */
  sample(seed: number, sampleShape: number[] = []): tf.Tensor {
    return withoutGradient([this.loc, this.logScale], () => this.rsample(seed, sampleShape));
  }

  /** Reparameterized inverse-CDF draw μ + s·(log u − log(1 − u)). */
  rsample(seed: number, sampleShape: number[] = []): tf.Tensor {
    return tf.tidy(() => {
      const u = openUniform([...sampleShape, ...this.batchShape], seed);
      const standard = tf.sub(tf.log(u), tf.log1p(tf.neg(u)));
      return tf.add(this.loc, tf.mul(tf.exp(this.logScale), standard));
    });
  }

  private standardize(x: tf.Tensor): tf.Tensor {
    return tf.mul(tf.sub(x, this.loc), tf.exp(tf.neg(this.logScale)));
  }
}
