/**
 * The output heads against their formulas: the discretized logistic's bin probabilities (interior, both
 * edges), the RGB coupling of the means, Gaussian and logistic densities; and sampling, whose empirical
 * frequencies match the probabilities the same head assigns (so sampling and likelihood agree), with
 * temperature sharpening them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BernoulliHead } from '../src/common/heads/bernoulli.js';
import { CategoricalHead } from '../src/common/heads/categorical.js';
import { buildHead } from '../src/common/heads/config.js';
import { ContinuousHead } from '../src/common/heads/continuous.js';
import { LogisticMixtureHead } from '../src/common/heads/logistic-mixture.js';
import { tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('discretized logistic mixture', () => {
  it('one component: P(k) = σ((x + δ − μ)/s) − σ((x − δ − μ)/s), with open edges', () => {
    const head = new LogisticMixtureHead(1, 1);
    const [mu, logS] = [0.1, -2];
    const params = tf.tensor3d([[[0, mu, logS]]]);
    const s = Math.exp(logS);
    const delta = 1 / 255;
    for (const k of [0, 37, 128, 255]) {
      const x = (2 * k) / 255 - 1;
      const upper = k === 255 ? 1 : sigmoid((x + delta - mu) / s);
      const lower = k === 0 ? 0 : sigmoid((x - delta - mu) / s);
      const got = values(head.logProb(params, tf.tensor3d([[[k / 255]]])))[0];
      expect(got).toBeCloseTo(Math.log(upper - lower), 4);
    }
    params.dispose();
  });

  it('RGB: green and blue means shift with the pixel’s red (and green) values by the tanh coefficients', () => {
    const head = new LogisticMixtureHead(3, 1);
    // [logit | m_R m_G m_B | log s ×3 | α β γ] with α = tanh(0.5) coupling G to R.
    const raw = [0, 0, 0, 0, -3, -3, -3, 0.5, 0, 0];
    const params = tf.tensor3d([[raw]]);
    const alpha = Math.tanh(0.5);
    const red = 200 / 255;
    const xRed = 2 * red - 1;
    // The most likely green given red is the level nearest α·x_R.
    const greens = Array.from({ length: 256 }, (_, g) => [red, g / 255, 127 / 255]);
    const logProb = values(head.logProb(tf.tile(params, [1, 256, 1]), tf.tensor3d([greens])));
    const best = logProb.indexOf(Math.max(...logProb));
    expect(Math.abs((2 * best) / 255 - 1 - alpha * xRed)).toBeLessThan(2 / 255);
    params.dispose();
  });

  it('samples follow the probabilities; temperature 0.05 concentrates them on the mode', () => {
    const head = new LogisticMixtureHead(1, 2, 8);
    const params = tf.tensor3d([[[0.3, -0.2, -0.5, 0.6, -1.2, -1.6]]]);
    const probs = values(
      tf.tidy(() =>
        tf.exp(head.logProb(tf.tile(params, [1, 8, 1]), tf.reshape(tf.div(tf.range(0, 8), 7), [1, 8, 1]))),
      ),
    );
    const n = 20000;
    const draws = values(head.sample(tf.tile(params, [1, n, 1]), 3, 1)).map((v) => Math.round(v * 7));
    const counts = new Array(8).fill(0);
    for (const k of draws) counts[k]++;
    counts.forEach((count, k) => {
      expect(Math.abs(count / n - probs[k])).toBeLessThan(
        4 * Math.sqrt((probs[k] * (1 - probs[k])) / n) + 1e-3,
      );
    });
    const cold = values(head.sample(tf.tile(params, [1, 2000, 1]), 4, 0.05)).map((v) => Math.round(v * 7));
    const mode = probs.indexOf(Math.max(...probs));
    expect(cold.filter((k) => k === mode).length / cold.length).toBeGreaterThan(0.9);
    params.dispose();
  });
});

describe('per-dimension heads', () => {
  it('Bernoulli and softmax sampling frequencies match their probabilities', () => {
    const bernoulli = new BernoulliHead();
    const ones = values(bernoulli.sample(tf.fill([10000, 1], 0.8), 1, 1)).reduce((a, b) => a + b, 0);
    expect(ones / 10000).toBeCloseTo(sigmoid(0.8), 1);
    const softmax = new CategoricalHead(3, 'unit');
    const logits = [0.2, -1, 1.1];
    const z = logits.map(Math.exp).reduce((a, b) => a + b, 0);
    const draws = values(softmax.sample(tf.tile(tf.tensor2d([logits]), [20000, 1]), 2, 1));
    for (const [k, value] of [0, 0.5, 1].entries()) {
      const frequency = draws.filter((v) => v === value).length / draws.length;
      expect(frequency).toBeCloseTo(Math.exp(logits[k]) / z, 1);
    }
  });

  it('index-valued codes: log p and one-hot network input', () => {
    const codes = new CategoricalHead(5, 'index');
    const logits = tf.tensor2d([[0, 1, 2, 3, 4]]);
    const expected = 2 - Math.log([0, 1, 2, 3, 4].map(Math.exp).reduce((a, b) => a + b, 0));
    expect(values(codes.logProb(logits, tf.tensor2d([[2]])))[0]).toBeCloseTo(expected, 5);
    expect(values(codes.encodeInput(tf.tensor2d([[3]])))).toEqual([0, 0, 0, 1, 0]);
    logits.dispose();
  });

  it('Gaussian and logistic densities', () => {
    const params = tf.tensor2d([[0.5, Math.log(2)]]);
    const x = tf.tensor2d([[1.5]]);
    const gaussian = values(new ContinuousHead('gaussian').logProb(params, x))[0];
    expect(gaussian).toBeCloseTo(-0.5 * 0.25 - Math.log(2) - 0.5 * Math.log(2 * Math.PI), 3);
    const z = 0.5;
    const logistic = values(new ContinuousHead('logistic').logProb(params, x))[0];
    expect(logistic).toBeCloseTo(-z - 2 * Math.log1p(Math.exp(-z)) - Math.log(2), 3);
    tf.dispose([params, x]);
  });

  it('per-dimension heads refuse multi-channel pixels with a pointer to the mixture', () => {
    expect(() => buildHead({ kind: 'bernoulli' }, 3)).toThrow(/logistic-mixture/);
    expect(buildHead({ kind: 'logistic-mixture', components: 2, levels: 256 }, 3).paramsPerPosition).toBe(20);
  });
});
