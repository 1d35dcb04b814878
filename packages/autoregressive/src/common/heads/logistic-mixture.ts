/**
 * The discretized logistic mixture of PixelCNN++ (Salimans, Karpathy, Chen & Kingma 2017, §2.1–2.2).
 *
 * Pixel values are scaled to x ∈ [−1, 1] on L levels (bin half-width δ = 1/(L − 1)). Each colour value is
 * a mixture of K logistics, rounded to the nearest level, the edge levels absorbing the tails:
 *
 *   P(x | π, μ, s) = Σ_k π_k [σ((x + δ − μ_k)/s_k) − σ((x − δ − μ_k)/s_k)]
 *
 * with the upper CDF replaced by 1 at the top level x = 1 and the lower one by 0 at the bottom level
 * x = −1, so the L bins cover the real line and the probabilities of the L values sum to 1.
 *
 * For a pixel with C channels the mixture is over the whole pixel, the channels sharing the component
 * and coupled linearly within it (§2.2): μ_R = m_R, μ_G = m_G + α_k x_R, μ_B = m_B + β_k x_R + γ_k x_G,
 * with α, β, γ = tanh(·). Parameters per pixel: K mixture logits, then per channel K means and K
 * log-scales (clamped below at −7), then K·C(C−1)/2 coupling coefficients: 3K for grayscale, 10K for RGB.
 *
 * The log-probability follows the reference implementation (openai/pixel-cnn, nn.py) including its
 * numerics: log σ(a) as a − softplus(a) at the bottom level, −softplus(b) at the top, and when the bin
 * probability underflows (< 10⁻⁵), the density at the bin centre times the bin width.
 *
 * Sampling draws the component by Gumbel-max, then each channel in order from its logistic, clipped to
 * [−1, 1] and rounded to a level (which samples the discretized distribution exactly), the coupling
 * using the rounded earlier channels, as the likelihood does.
 */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkParams, levelsOf, temperatureOf } from './shapes.js';
import type { OutputHead } from './types.js';

const MIN_LOG_SCALE = -7;

export class LogisticMixtureHead implements OutputHead {
  readonly kind = 'logistic-mixture';
  readonly paramsPerPosition: number;
  readonly inputChannels: number;

  constructor(
    readonly channels: number,
    readonly components: number,
    readonly levels = 256,
  ) {
    if (!Number.isInteger(channels) || channels < 1) {
      throw new ConfigError(`logistic-mixture: channels must be a positive integer, got ${channels}`);
    }
    this.inputChannels = channels;
    this.paramsPerPosition = components * (1 + 2 * channels + couplings(channels));
  }

  logProb(params: tf.Tensor, x: tf.Tensor): tf.Tensor {
    checkParams(params, this.paramsPerPosition);
    return tf.tidy(() => {
      const { logits, means, logScales, coefficients } = this.split(params);
      const value = this.centred(x); // [..., C]
      const delta = 1 / (this.levels - 1);
      // μ_c = m_c + Σ_{j<c} coeff_{c,j} · x_j, per component: [..., C, K].
      const mu = this.coupledMeans(means, coefficients, value);
      const centred = tf.sub(tf.expandDims(value, -1), mu);
      const invScale = tf.exp(tf.neg(logScales));
      const plusIn = tf.mul(invScale, tf.add(centred, delta));
      const minIn = tf.mul(invScale, tf.sub(centred, delta));
      const cdfDelta = tf.sub(tf.sigmoid(plusIn), tf.sigmoid(minIn));
      const logCdfPlus = tf.sub(plusIn, tf.softplus(plusIn));
      const logOneMinusCdfMin = tf.neg(tf.softplus(minIn));
      const midIn = tf.mul(invScale, centred);
      const logPdfMid = tf.sub(tf.sub(midIn, logScales), tf.mul(2, tf.softplus(midIn)));
      const interior = tf.where(
        tf.greater(cdfDelta, 1e-5),
        tf.log(tf.maximum(cdfDelta, 1e-12)),
        tf.sub(logPdfMid, Math.log((this.levels - 1) / 2)),
      );
      const x3 = tf.expandDims(value, -1);
      const perChannel = tf.where(
        tf.less(x3, -1 + delta / 2),
        logCdfPlus,
        tf.where(tf.greater(x3, 1 - delta / 2), logOneMinusCdfMin, interior),
      );
      // Σ_c log P(x_c | k) + log π_k, then log Σ_k.
      const joint = tf.add(tf.sum(perChannel, -2), tf.logSoftmax(logits, -1));
      return tf.logSumExp(joint, -1);
    });
  }

  sample(params: tf.Tensor, seed: number, temperature: number): tf.Tensor {
    checkParams(params, this.paramsPerPosition);
    const t = temperatureOf(temperature);
    return tf.tidy(() => {
      const { logits, means, logScales, coefficients } = this.split(params);
      const positions = logits.shape.slice(0, -1);
      const k = this.components;
      // Gumbel-max choice of the component, as a one-hot selector [..., K].
      const u = tf.randomUniform([...positions, k], 1e-5, 1 - 1e-5, 'float32', seed);
      const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
      const pick = tf.oneHot(tf.argMax(tf.add(tf.div(logits, t), gumbel), -1), k);
      const select = (v: tf.Tensor) => tf.sum(tf.mul(v, tf.expandDims(pick, -2)), -1); // [..., C]
      const m = select(means);
      const logS = tf.add(select(logScales), Math.log(t));
      const coeff = coefficients ? select(coefficients) : undefined;
      const noise = tf.randomUniform([...positions, this.channels], 1e-5, 1 - 1e-5, 'float32', seed + 1);
      const logistic = tf.sub(tf.log(noise), tf.log1p(tf.neg(noise)));
      const drawn: tf.Tensor[] = [];
      for (let c = 0, pair = 0; c < this.channels; c++) {
        let mu = sliceChannel(m, c);
        for (let j = 0; j < c; j++, pair++) {
          mu = tf.add(mu, tf.mul(sliceChannel(coeff!, pair), drawn[j]));
        }
        const continuous = tf.add(mu, tf.mul(tf.exp(sliceChannel(logS, c)), sliceChannel(logistic, c)));
        drawn.push(this.quantize(tf.clipByValue(continuous, -1, 1)));
      }
      return tf.div(tf.add(tf.concat(drawn, -1), 1), 2);
    });
  }

  encodeInput(x: tf.Tensor): tf.Tensor {
    return this.centred(x);
  }

  /** Values in [0, 1] as their levels in [−1, 1]. */
  private centred(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() =>
      tf.sub(tf.mul(tf.cast(levelsOf(x, this.levels), 'float32'), 2 / (this.levels - 1)), 1),
    );
  }

  /** Continuous values in [−1, 1] rounded to the nearest level. */
  private quantize(x: tf.Tensor): tf.Tensor {
    const steps = (this.levels - 1) / 2;
    return tf.sub(tf.div(tf.round(tf.mul(tf.add(x, 1), steps)), steps), 1);
  }

  private coupledMeans(means: tf.Tensor, coefficients: tf.Tensor | undefined, x: tf.Tensor): tf.Tensor {
    if (!coefficients) return means;
    const rows: tf.Tensor[] = [];
    for (let c = 0, pair = 0; c < this.channels; c++) {
      let mu = sliceAt(means, -2, c);
      for (let j = 0; j < c; j++, pair++) {
        mu = tf.add(mu, tf.mul(sliceAt(coefficients, -2, pair), tf.expandDims(sliceChannel(x, j), -1)));
      }
      rows.push(mu);
    }
    return tf.concat(rows, -2);
  }

  /** Splits params [..., P] into logits [..., K], means and log-scales [..., C, K], couplings [..., C(C−1)/2, K]. */
  private split(params: tf.Tensor) {
    const k = this.components;
    const c = this.channels;
    const positions = params.shape.slice(0, -1);
    const pairs = couplings(c);
    const sizes = pairs > 0 ? [k, c * k, c * k, pairs * k] : [k, c * k, c * k];
    const [logits, meanFlat, scaleFlat, coeffFlat] = tf.split(params, sizes, -1);
    return {
      logits,
      means: tf.reshape(meanFlat, [...positions, c, k]),
      logScales: tf.maximum(tf.reshape(scaleFlat, [...positions, c, k]), MIN_LOG_SCALE),
      coefficients: pairs > 0 ? tf.tanh(tf.reshape(coeffFlat, [...positions, pairs, k])) : undefined,
    };
  }
}

/** Coupling coefficients per component: one per ordered channel pair j < c. */
function couplings(channels: number): number {
  return (channels * (channels - 1)) / 2;
}

/** Channel c of [..., C] as [..., 1]. */
function sliceChannel(x: tf.Tensor, c: number): tf.Tensor {
  return sliceAt(x, -1, c);
}

/** Entry `index` of axis `axis` (negative counts from the end), keeping the axis (size 1). */
function sliceAt(x: tf.Tensor, axis: number, index: number): tf.Tensor {
  const a = axis < 0 ? x.rank + axis : axis;
  const begin = x.shape.map((_, i) => (i === a ? index : 0));
  const size = x.shape.map((d, i) => (i === a ? 1 : d));
  return tf.slice(x, begin, size);
}
