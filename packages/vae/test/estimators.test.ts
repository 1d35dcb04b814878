/**
 * The score-function (likelihood-ratio) encoder gradient is unbiased — its mean over many draws matches
 * the reparameterization gradient's up to Monte Carlo error — and noisier, on a fixed batch and fixed
 * parameters. Checked for the ELBO (leave-one-out baseline over the batch), the k-sample bound (VIMCO)
 * and the two-layer model (whose z₁ KL is itself a one-draw estimate).
 */
import type { Batch } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { encoderGradientVariance, type GradientVariance } from '../src/common/inference/gradient-variance.js';
import { createVae, disposeBatch, tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const SCORE_REPEATS = 1500;
const REPARAMETERIZED_REPEATS = 400;

async function fixedBatch(): Promise<Batch> {
  const { test } = await loadDataset('mnist-10k', { binarize: 'dynamic', flatten: true, testLimit: 8 });
  return test.getBatch([0, 1, 2, 3, 4, 5, 6, 7]);
}

/**
 * Mean over gradient elements of z² = (m_a − m_b)²/(v_a/R_a + v_b/R_b). For two unbiased estimates of the
 * same gradient each z is about N(0, 1); the elements share a few sources of noise, so their mean varies
 * from run to run (measured 0.7–1.5), while a bias grows z² in proportion to the repeats.
 */
function meanSquaredZ(a: GradientVariance, b: GradientVariance): number {
  let sum = 0;
  let count = 0;
  for (const key of Object.keys(a.mean)) {
    for (let i = 0; i < a.mean[key].length; i++) {
      const se = Math.sqrt(a.elementVariance[key][i] / a.repeats + b.elementVariance[key][i] / b.repeats);
      // Weights of always-blank pixels get no gradient from either estimator.
      if (se === 0) continue;
      sum += ((a.mean[key][i] - b.mean[key][i]) / se) ** 2;
      count++;
    }
  }
  expect(count).toBeGreaterThan(100);
  return sum / count;
}

const cases = [
  // Measured variance ratios (score / reparameterization): 11–18, 6, 5–7.
  { name: 'vae', config: { latentDim: 3, network: { kind: 'mlp', hidden: [16] } } },
  { name: 'iwae', config: { latentDim: 3, network: { kind: 'mlp', hidden: [16] }, k: 4 } },
  { name: 'hvae', config: { latentDims: [4, 2], hidden: [[16], [8]] } },
] as const;

describe('encoder gradient estimators', () => {
  for (const { name, config } of cases) {
    it(`${name}: the score-function gradient has the reparameterization gradient's mean and a larger variance`, async () => {
      const batch = await fixedBatch();
      const model = createVae(name, config);
      const before = tf.memory().numTensors;
      const reparameterized = encoderGradientVariance(model, batch, {
        estimator: 'reparameterization',
        repeats: REPARAMETERIZED_REPEATS,
        seed: 1,
      });
      const score = encoderGradientVariance(model, batch, {
        estimator: 'score-function',
        repeats: SCORE_REPEATS,
        seed: 2,
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(meanSquaredZ(score, reparameterized)).toBeLessThan(2.5);
      expect(score.meanVariance).toBeGreaterThan(3 * reparameterized.meanVariance);
      for (const key of Object.keys(score.variance)) expect(score.variance[key]).toBeGreaterThan(0);
      model.dispose();
      disposeBatch(batch);
    });
  }

  it('tells a different gradient apart: the VAE’s score-function mean against the β = 3 objective’s', async () => {
    const batch = await fixedBatch();
    const config = { latentDim: 3, network: { kind: 'mlp', hidden: [16] } };
    // Same seed and keys: the two models start from identical weights.
    const vae = createVae('vae', config);
    const beta = createVae('beta-vae', { ...config, beta: 3 });
    const score = encoderGradientVariance(vae, batch, {
      estimator: 'score-function',
      repeats: SCORE_REPEATS,
      seed: 2,
    });
    const other = encoderGradientVariance(beta, batch, {
      estimator: 'reparameterization',
      repeats: REPARAMETERIZED_REPEATS,
      seed: 1,
    });
    expect(meanSquaredZ(score, other)).toBeGreaterThan(10);
    vae.dispose();
    beta.dispose();
    disposeBatch(batch);
  });

  it('the leave-one-out baseline reduces the score-function variance', async () => {
    const batch = await fixedBatch();
    const config = { latentDim: 3, network: { kind: 'mlp', hidden: [16] } };
    const draw = (baseline: string) => {
      const model = createVae('vae', { ...config, baseline });
      const result = encoderGradientVariance(model, batch, {
        estimator: 'score-function',
        repeats: 500,
        seed: 3,
      });
      model.dispose();
      return result.meanVariance;
    };
    expect(draw('none')).toBeGreaterThan(3 * draw('leave-one-out'));
    disposeBatch(batch);
  });

  it('needs at least two repeats', async () => {
    const batch = await fixedBatch();
    const model = createVae('vae', { latentDim: 2, network: { kind: 'mlp', hidden: [] } });
    expect(() => encoderGradientVariance(model, batch, { estimator: 'score-function', repeats: 1 })).toThrow(
      /repeats must be an integer ≥ 2/,
    );
    model.dispose();
    disposeBatch(batch);
  });
});
