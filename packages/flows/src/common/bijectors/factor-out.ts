/**
 * Multi-scale factor-out (RealNVP, Dinh et al. 2017, §3.6; Glow's split): at the end of a scale, half
 * of the channels leave the flow as latent variables and only the other half goes through the finer
 * scales' layers `inner`:
 *
 *   x = [h, z_out] (channels split),   f(x) = [z_out', inner(h)]   (flattened and concatenated)
 *   log |det ∂f/∂x| = log |det ∂inner/∂h| + (learned prior: −Σ log σ(h))
 *
 * With the `learned` prior (Glow) the factored-out half is not N(0, I) directly: it is modeled as
 * N(μ(h), σ(h)²) given the kept half, which is the same as the affine map z_out' = (z_out − μ(h)) / σ(h)
 * followed by N(0, I) — so the prior is one more conditioned bijection and the base stays a standard
 * normal. Its network is zero-initialized (μ = 0, σ = 1 at the start). The output is a flat vector
 * because the parts have different shapes.
 */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Conditioner, type ConditionerFactory, splitParams } from '../conditioners/conditioner.js';
import type { Bijector, FlowResult } from './bijector.js';
import { sumPerExample } from './log-det.js';
import { channelsOf, eventSize } from './shapes.js';

export class FactorOut implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly children: readonly Bijector[];
  private readonly kept: number;
  private readonly factored: number;
  private readonly factoredShape: number[];
  private readonly prior?: Conditioner;

  constructor(
    key: string,
    eventShape: readonly number[],
    private readonly inner: Bijector,
    learnedPrior?: ConditionerFactory,
  ) {
    const channels = channelsOf(eventShape);
    this.kept = Math.ceil(channels / 2);
    this.factored = channels - this.kept;
    const keptShape = [...eventShape.slice(0, -1), this.kept];
    checkInner(inner, keptShape);
    this.factoredShape = [...eventShape.slice(0, -1), this.factored];
    this.inputShape = eventShape;
    this.outputShape = [eventSize(this.factoredShape) + eventSize(inner.outputShape)];
    this.children = [inner];
    this.name = `factor-out(${this.factored} of ${channels} channels${learnedPrior ? ', learned prior' : ''})`;
    this.prior = learnedPrior?.(`${key}/prior`, keptShape, this.factoredShape, 2);
  }

  initialize(x: tf.Tensor): void {
    tf.tidy(() => this.inner.initialize?.(tf.split(x, [this.kept, this.factored], -1)[0]));
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const batch = x.shape[0];
      const [h, out] = tf.split(x, [this.kept, this.factored], -1);
      const inner = this.inner.forward(h);
      let z = out;
      let logDet = inner.logDet;
      if (this.prior) {
        const { mean, logScale } = this.priorOf(h);
        z = tf.mul(tf.sub(out, mean), tf.exp(tf.neg(logScale)));
        logDet = tf.sub(logDet, sumPerExample(logScale));
      }
      const y = tf.concat([tf.reshape(z, [batch, -1]), tf.reshape(inner.y, [batch, -1])], 1);
      return { y, logDet };
    });
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const batch = y.shape[0];
      const [zFlat, innerFlat] = tf.split(
        y,
        [eventSize(this.factoredShape), eventSize(this.inner.outputShape)],
        1,
      );
      const inner = this.inner.inverse(tf.reshape(innerFlat, [batch, ...this.inner.outputShape]));
      let out = tf.reshape(zFlat, [batch, ...this.factoredShape]);
      let logDet = inner.logDet;
      if (this.prior) {
        const { mean, logScale } = this.priorOf(inner.y);
        out = tf.add(tf.mul(out, tf.exp(logScale)), mean);
        logDet = tf.add(logDet, sumPerExample(logScale));
      }
      return { y: tf.concat([inner.y, out], -1), logDet };
    });
  }

  private priorOf(h: tf.Tensor): { mean: tf.Tensor; logScale: tf.Tensor } {
    const [mean, logScale] = splitParams(this.prior!.apply(h), 2);
    return { mean, logScale };
  }
}

function checkInner(inner: Bijector, keptShape: number[]): void {
  if (inner.inputShape.join() !== keptShape.join()) {
    throw new ConfigError(
      `factor-out: the inner flow ${inner.name} takes [${inner.inputShape}], but the kept half is [${keptShape}]`,
    );
  }
}
