/**
 * Masked affine autoregressive layer (MAF: Papamakarios, Pavlakou & Murray, "Masked Autoregressive Flow
 * for Density Estimation", NeurIPS 2017, §3.1–3.2), with MADE (Germain et al. 2015, from
 * `@genzoo/autoregressive`) as the conditioner:
 *
 *   z_i = (x_i − μ_i(x_<i)) · exp(−α_i(x_<i)),    log |det ∂z/∂x| = −Σ_i α_i
 *   x_i = z_i · exp(α_i(x_<i)) + μ_i(x_<i)                        (sequential, D passes)
 *
 * The density direction is one MADE pass; sampling needs D, one per dimension in the mask's order. Its
 * `Inverse` is an inverse autoregressive flow layer (IAF, Kingma et al. 2016): one pass to sample, D to
 * evaluate a density. α is bounded like a coupling's log-scale (common/bijectors/scale.ts). Unlike the coupling
 * conditioners, the MADE keeps its Glorot-initialized output layer (as in the MAF paper), so a MAF does
 * not start as the identity.
 */
import { type HiddenDegrees, MaskedAutoencoder, maskSet, type Ordering } from '@genzoo/autoregressive';
import { type Activation, ConfigError, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from '../common/bijectors/bijector.js';
import { sumPerExample } from '../common/bijectors/log-det.js';
import { LogScale, type ScaleKind } from '../common/bijectors/scale.js';

export interface MaskedAutoregressiveOptions {
  hidden: readonly number[];
  activation: Activation;
  ordering: Ordering;
  hiddenDegrees: HiddenDegrees;
  scale: ScaleKind;
  seed: number;
}

export class MaskedAffineAutoregressive implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  private readonly made: MaskedAutoencoder;
  private readonly logScale: LogScale;
  private readonly dims: number;

  constructor(
    params: ParameterStore,
    key: string,
    eventShape: readonly number[],
    options: MaskedAutoregressiveOptions,
  ) {
    if (eventShape.length !== 1 || eventShape[0] < 2) {
      throw new ConfigError(
        `masked autoregressive layers take vectors of 2 or more values, got [${eventShape}] (flatten images first)`,
      );
    }
    this.dims = eventShape[0];
    this.name = `masked-affine-autoregressive(${options.ordering})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.made = new MaskedAutoencoder(params, `${key}/made`, {
      dims: this.dims,
      hidden: options.hidden,
      paramsPerDim: 2,
      maskSets: [
        maskSet(this.dims, options.hidden, {
          ordering: options.ordering,
          hiddenDegrees: options.hiddenDegrees,
          seed: options.seed,
        }),
      ],
      activation: options.activation,
    });
    this.logScale = new LogScale(options.scale, params, key, this.dims);
  }

  /** μ(x_<i) and α(x_<i) for every i, [batch, D] each. */
  private shiftAndLogScale(x: tf.Tensor): { shift: tf.Tensor; logScale: tf.Tensor } {
    const [shift, raw] = tf.unstack(this.made.apply(x as tf.Tensor2D), 2);
    return { shift, logScale: this.logScale.apply(raw) };
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const { shift, logScale } = this.shiftAndLogScale(x);
      return {
        y: tf.mul(tf.sub(x, shift), tf.exp(tf.neg(logScale))),
        logDet: tf.neg(sumPerExample(logScale)) as tf.Tensor1D,
      };
    });
  }

  /**
   * x = z ⊙ exp(α(x)) + μ(x) solved by D passes: after pass t every dimension among the first t of the
   * order is exact (each depends only on earlier ones), so after D passes all are, and the last pass's α
   * is the one at the final x.
   */
  inverse(z: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      let x = tf.zerosLike(z);
      let logScale = tf.zerosLike(z);
      for (let pass = 0; pass < this.dims; pass++) {
        const next = tf.tidy(() => {
          const params = this.shiftAndLogScale(x);
          return [tf.add(tf.mul(z, tf.exp(params.logScale)), params.shift), params.logScale];
        });
        x.dispose();
        logScale.dispose();
        [x, logScale] = next;
      }
      return { y: x, logDet: sumPerExample(logScale) };
    });
  }
}
