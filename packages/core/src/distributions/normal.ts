/**
 * The diagonal (independent per element) Normal distribution N(μ, σ²).
 *
 *   log N(x; μ, σ²) = −½((x − μ)/σ)² − log σ − ½ log 2π
 *   H[N(μ, σ²)]     = ½ + ½ log 2π + log σ
 *   KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − ½
 *   KL(N(μ, σ²) ‖ N(0, 1))      = ½(μ² + σ² − 1 − log σ²)
 *
 * Reparameterized sampling (Kingma & Welling 2014, §2.4): x = μ + σ ⊙ ε with ε ~ N(0, I), so gradients
 * flow to μ and σ through `rsample`; `sample` draws the same values without gradients.
 *
 * All quantities are elementwise over the broadcast batch shape of μ and σ; sum over event dimensions
 * with `sumEventDims`. The distribution borrows its parameter tensors (it never disposes them) and every
 * method returns a new tensor the caller owns, so it is meant to be used inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, HALF_LOG_2PI, withoutGradient } from './util.js';

export class Normal {
  readonly loc: tf.Tensor;
  /** Exactly one of the two scale parameterizations is stored; the other is derived on use. */
  private readonly scaleParam?: tf.Tensor;
  private readonly logScaleParam?: tf.Tensor;
  /** Broadcast shape of loc and scale. */
  readonly batchShape: number[];

  /**
   * N(loc, scale²) with the standard deviation `scale` > 0, or N(loc, exp(logScale)²) when given
   * `{ logScale }`.
   */
  constructor(loc: tf.Tensor, scale: tf.Tensor | { logScale: tf.Tensor }) {
    this.loc = loc;
    if (scale instanceof tf.Tensor) this.scaleParam = scale;
    else this.logScaleParam = scale.logScale;
    this.batchShape = broadcastShapes(loc.shape, (this.scaleParam ?? this.logScaleParam)!.shape);
  }

  /**
   * N(loc, exp(logScale)²). Prefer this for network outputs: log-densities and KL terms then use log σ
   * directly instead of log(exp(·)), which is exact and cannot underflow to log 0.
   */
  static fromLogScale(loc: tf.Tensor, logScale: tf.Tensor): Normal {
    return new Normal(loc, { logScale });
  }

  mean(): tf.Tensor {
    return tf.broadcastTo(this.loc, this.batchShape);
  }

  stddev(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.scale(), this.batchShape));
  }

  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.square(this.scale()), this.batchShape));
  }

  /** log σ, broadcast to the batch shape. */
  logScale(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.logScaleTensor(), this.batchShape));
  }

  /** Draws [...sampleShape, ...batchShape] values; no gradient flows to the parameters. */
  sample(seed: number, sampleShape: number[] = []): tf.Tensor {
    return withoutGradient(this.parameters(), () => this.rsample(seed, sampleShape));
  }

  /** Reparameterized draw μ + σ ⊙ ε, ε ~ N(0, I) seeded by `seed`, shape [...sampleShape, ...batchShape]. */
  rsample(seed: number, sampleShape: number[] = []): tf.Tensor {
    return tf.tidy(() => {
      const eps = tf.randomNormal([...sampleShape, ...this.batchShape], 0, 1, 'float32', seed);
      return tf.add(this.loc, tf.mul(this.scale(), eps));
    });
  }

  /** Elementwise log N(x; μ, σ²). */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const logScale = this.logScaleTensor();
      const z = tf.mul(tf.sub(x, this.loc), tf.exp(tf.neg(logScale)));
      return tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logScale), HALF_LOG_2PI);
    });
  }

  /** Elementwise differential entropy ½ + ½ log 2π + log σ. */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(this.logScaleTensor(), 0.5 + HALF_LOG_2PI), this.batchShape));
  }

  /** Elementwise KL(this ‖ other) in closed form. */
  klDivergence(other: Normal): tf.Tensor {
    return tf.tidy(() => {
      const logRatio = tf.sub(other.logScaleTensor(), this.logScaleTensor()); // log σ₂ − log σ₁
      const varianceRatio = tf.exp(tf.mul(-2, logRatio)); // σ₁² / σ₂²
      const meanTerm = tf.square(tf.mul(tf.sub(this.loc, other.loc), tf.exp(tf.neg(other.logScaleTensor()))));
      return tf.add(logRatio, tf.mul(0.5, tf.sub(tf.add(varianceRatio, meanTerm), 1)));
    });
  }

  /** Elementwise KL(this ‖ N(0, 1)) = ½(μ² + σ² − 1) − log σ, the VAE regularizer. */
  klToStandardNormal(): tf.Tensor {
    return tf.tidy(() => {
      const logScale = this.logScaleTensor();
      const variance = tf.exp(tf.mul(2, logScale));
      return tf.sub(tf.mul(0.5, tf.sub(tf.add(tf.square(this.loc), variance), 1)), logScale);
    });
  }

  private parameters(): tf.Tensor[] {
    return [this.loc, (this.logScaleParam ?? this.scaleParam) as tf.Tensor];
  }

  private scale(): tf.Tensor {
    return this.logScaleParam ? tf.exp(this.logScaleParam) : (this.scaleParam as tf.Tensor);
  }

  private logScaleTensor(): tf.Tensor {
    return this.logScaleParam ?? tf.log(this.scaleParam as tf.Tensor);
  }
}
