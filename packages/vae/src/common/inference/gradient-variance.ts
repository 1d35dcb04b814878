/**
 * The variance of the encoder's gradient estimate under the reparameterization and the score-function
 * estimators, on one fixed batch and the same parameters: the gradient of the model's training loss with
 * respect to the inference network φ is drawn `repeats` times with fresh latent draws, and the mean and
 * variance of every gradient element are accumulated (Welford, float64 on the host).
 *
 * Both estimators are unbiased for the same gradient, so their means agree up to Monte Carlo error while
 * the score-function estimate is typically orders of magnitude noisier — the reason VAEs are trained
 * with the reparameterization trick (Kingma & Welling 2014, §2.3; Rezende et al. 2014, §3).
 */
import { type Batch, ConfigError, deriveSeed, type StepContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { boundObjective } from '../objectives/objective.js';
import type { VariationalModel } from '../variational-model.js';

export interface GradientVarianceOptions {
  estimator: 'reparameterization' | 'score-function';
  /** Gradient draws (≥ 2). */
  repeats: number;
  /** Seeds the latent draws of every repeat (default 0). */
  seed?: number;
}

export interface GradientVariance {
  estimator: 'reparameterization' | 'score-function';
  repeats: number;
  /** Per encoder parameter (stable key): the variance of each element's gradient, averaged over its elements. */
  variance: Record<string, number>;
  /** The per-element variance averaged over every encoder parameter element. */
  meanVariance: number;
  /** Per encoder parameter: the mean gradient of each element over the repeats. */
  mean: Record<string, Float64Array>;
  /** Per encoder parameter: the (unbiased sample) variance of each element's gradient over the repeats. */
  elementVariance: Record<string, Float64Array>;
}

/**
 * Draws the encoder gradient of `model`'s training loss on `batch` `repeats` times with `estimator`
 * (whatever the model was configured with), with the KL weight at its target (past any warm-up).
 */
export function encoderGradientVariance(
  model: VariationalModel<unknown>,
  batch: Batch,
  options: GradientVarianceOptions,
): GradientVariance {
  const { repeats, estimator } = options;
  if (!Number.isInteger(repeats) || repeats < 2) {
    throw new ConfigError(`repeats must be an integer ≥ 2 to estimate a variance, got ${repeats}`);
  }
  const seed = options.seed ?? 0;
  const objective = boundObjective(model, { ...model.objective, estimator });
  const entries = Object.entries(model.encoderVariables()).filter(([, v]) => v.trainable);
  const variables = entries.map(([, v]) => v);
  const means = entries.map(([, v]) => new Float64Array(v.size));
  const squares = entries.map(([, v]) => new Float64Array(v.size));

  for (let r = 0; r < repeats; r++) {
    let call = 0;
    const context: StepContext = {
      step: model.objective.klWarmupSteps,
      nextSeed: () => deriveSeed(seed, 'gradient-variance', r, call++),
    };
    const gradients = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => objective.compute(batch, context).loss, variables);
      return variables.map((v) => grads[v.name]?.dataSync() ?? new Float32Array(v.size));
    });
    // Welford's update: mean += δ/n, M2 += δ·(g − mean).
    gradients.forEach((g, p) => {
      const mean = means[p];
      const m2 = squares[p];
      for (let i = 0; i < g.length; i++) {
        const delta = g[i] - mean[i];
        mean[i] += delta / (r + 1);
        m2[i] += delta * (g[i] - mean[i]);
      }
    });
  }

  const variance: Record<string, number> = {};
  const mean: Record<string, Float64Array> = {};
  const elementVariance: Record<string, Float64Array> = {};
  let total = 0;
  let count = 0;
  entries.forEach(([key], p) => {
    const perElement = squares[p].map((m2) => m2 / (repeats - 1));
    const sum = perElement.reduce((a, b) => a + b, 0);
    variance[key] = sum / perElement.length;
    mean[key] = means[p];
    elementVariance[key] = perElement;
    total += sum;
    count += perElement.length;
  });
  return { estimator, repeats, variance, meanVariance: total / count, mean, elementVariance };
}
