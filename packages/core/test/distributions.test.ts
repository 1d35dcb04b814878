import '@tensorflow/tfjs-backend-cpu';
import '../src/gradients/register.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bernoulli, Categorical, Logistic, Normal, sumEventDims } from '../src/distributions/index.js';
import { ShapeError } from '../src/errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const meanOf = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const varianceOf = (xs: ArrayLike<number>) => {
  const m = meanOf(xs);
  return Array.from(xs).reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
};
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

function expectClose(actual: number[], expected: number[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tolerance);
  });
}

describe('sumEventDims', () => {
  it('sums every axis after the batch axes', () => {
    tf.tidy(() => {
      const t = tf.ones([2, 3, 4]);
      expect(values(sumEventDims(t))).toEqual([12, 12]);
      expect(sumEventDims(t, 2).shape).toEqual([2, 3]);
      expect(sumEventDims(t, 3).shape).toEqual([2, 3, 4]);
      expect(() => sumEventDims(t, 4)).toThrow(/batchDims 4/);
    });
  });
});

describe('Normal', () => {
  // float32-representable values, so the float64 reference sees the same inputs as the tensors.
  const mu = [0.3, -1.2, 4].map(Math.fround);
  const sigma = [0.5, 2, 1e-3].map(Math.fround);
  const xs = [1, -1, 4.0005].map(Math.fround);

  it('logProb, entropy and moments match the closed forms', () => {
    tf.tidy(() => {
      const expected = xs.map(
        (x, i) => -0.5 * ((x - mu[i]) / sigma[i]) ** 2 - Math.log(sigma[i]) - HALF_LOG_2PI,
      );
      const byScale = new Normal(tf.tensor1d(mu), tf.tensor1d(sigma));
      const byLogScale = Normal.fromLogScale(tf.tensor1d(mu), tf.tensor1d(sigma.map(Math.log)));
      for (const d of [byScale, byLogScale]) {
        expectClose(values(d.logProb(tf.tensor1d(xs))), expected, 1e-4);
        expectClose(
          values(d.entropy()),
          sigma.map((s) => 0.5 + HALF_LOG_2PI + Math.log(s)),
          1e-5,
        );
        expectClose(
          values(d.variance()),
          sigma.map((s) => s * s),
          1e-6,
        );
        expectClose(values(d.stddev()), sigma, 1e-6);
        expectClose(values(d.mean()), mu, 0);
      }
    });
  });

  it('KL divergences match the closed forms', () => {
    tf.tidy(() => {
      const mu2 = [1, 0, -3];
      const sigma2 = [1.5, 0.1, 3];
      const p = new Normal(tf.tensor1d(mu), tf.tensor1d(sigma));
      const q = new Normal(tf.tensor1d(mu2), tf.tensor1d(sigma2));
      const kl = mu.map(
        (m, i) =>
          Math.log(sigma2[i] / sigma[i]) + (sigma[i] ** 2 + (m - mu2[i]) ** 2) / (2 * sigma2[i] ** 2) - 0.5,
      );
      expectClose(values(p.klDivergence(q)), kl, 1e-3);
      expectClose(values(p.klDivergence(p)), [0, 0, 0], 1e-6);
      const toStandard = mu.map((m, i) => 0.5 * (m * m + sigma[i] ** 2 - 1 - Math.log(sigma[i] ** 2)));
      expectClose(values(p.klToStandardNormal()), toStandard, 1e-4);
      const standard = new Normal(tf.zeros([3]), tf.ones([3]));
      expectClose(values(p.klDivergence(standard)), toStandard, 1e-4);
    });
  });

  it('broadcasts loc and scale', () => {
    tf.tidy(() => {
      const d = new Normal(tf.zeros([4, 1]), tf.ones([3]));
      expect(d.batchShape).toEqual([4, 3]);
      expect(d.sample(1, [2]).shape).toEqual([2, 4, 3]);
      expect(d.entropy().shape).toEqual([4, 3]);
    });
  });

  it('samples have the right moments and are reproducible per seed', () => {
    tf.tidy(() => {
      const d = new Normal(tf.tensor1d([2, -1]), tf.tensor1d([0.5, 3]));
      const draws = d.sample(7, [20000]);
      const cols = tf.unstack(draws, 1).map((c) => c.dataSync());
      expect(Math.abs(meanOf(cols[0]) - 2)).toBeLessThan(0.02);
      expect(Math.abs(meanOf(cols[1]) + 1)).toBeLessThan(0.1);
      expect(Math.abs(varianceOf(cols[0]) - 0.25)).toBeLessThan(0.01);
      expect(Math.abs(varianceOf(cols[1]) - 9)).toBeLessThan(0.3);
      expect(values(d.sample(7, [5]))).toEqual(values(d.sample(7, [5])));
      expect(values(d.rsample(7, [5]))).toEqual(values(d.sample(7, [5])));
      expect(values(d.sample(8, [5]))).not.toEqual(values(d.sample(7, [5])));
    });
  });

  it('rsample is reparameterized; sample passes no gradient', () => {
    tf.tidy(() => {
      const loc = tf.tensor1d([0.5, -0.5]);
      const logScale = tf.tensor1d([0, Math.log(2)]);
      const [dLoc, dLogScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) =>
        tf.sum(Normal.fromLogScale(l, s).rsample(3, [10])),
      )([loc, logScale]);
      expectClose(values(dLoc), [10, 10], 1e-5);
      // d/d(log σ) Σ (μ + e^{log σ} ε) = σ Σ ε
      const eps = tf
        .unstack(tf.randomNormal([10, 2], 0, 1, 'float32', 3), 1)
        .map((c) => tf.sum(c).dataSync()[0]);
      expectClose(values(dLogScale), [eps[0], 2 * eps[1]], 1e-4);
      const [zero] = tf.grads((l: tf.Tensor) => tf.sum(new Normal(l, tf.ones([2])).sample(3, [10])))([loc]);
      expectClose(values(zero), [0, 0], 0);
    });
  });
});

describe('Bernoulli', () => {
  it('logProb is −BCE-with-logits and finite at extreme logits', () => {
    tf.tidy(() => {
      const logits = [-100, -3, 0, 2.5, 100];
      const d = new Bernoulli(tf.tensor1d(logits));
      for (const x of [0, 1, 0.3]) {
        const expected = logits.map((l) => -x * softplus(-l) - (1 - x) * softplus(l));
        const got = values(d.logProb(tf.fill([5], x)));
        got.forEach((v) => {
          expect(Number.isFinite(v)).toBe(true);
        });
        expectClose(got, expected, 1e-4);
      }
      expectClose(
        values(d.logProb(tf.tensor1d([1, 0, 1, 0, 0]))),
        [-100, -softplus(-3), -Math.LN2, -softplus(2.5), -100],
        1e-4,
      );
      const entropy = values(d.entropy());
      entropy.forEach((v) => {
        expect(Number.isFinite(v)).toBe(true);
      });
      expect(entropy[2]).toBeCloseTo(Math.LN2, 6);
      expect(entropy[0]).toBeLessThan(1e-30);
      const [grad] = tf.grads((l: tf.Tensor) =>
        tf.sum(new Bernoulli(l).logProb(tf.tensor1d([1, 1, 1, 0, 0]))),
      )([tf.tensor1d(logits)]);
      // d log p / dl = x − σ(l)
      expectClose(values(grad), [1, 1 - 1 / (1 + Math.exp(3)), 0.5, -1 / (1 + Math.exp(-2.5)), -1], 1e-5);
    });
  });

  it('samples match the mean and are reproducible per seed', () => {
    tf.tidy(() => {
      const d = new Bernoulli(tf.tensor1d([-1, 0, 2, 100, -100]));
      const draws = d.sample(11, [20000]);
      const freq = values(tf.mean(draws, 0));
      const p = values(d.mean());
      freq.forEach((f, i) => {
        expect(Math.abs(f - p[i])).toBeLessThan(0.015);
      });
      expect(freq[3]).toBe(1);
      expect(freq[4]).toBe(0);
      expect(values(d.sample(5, [4]))).toEqual(values(d.sample(5, [4])));
    });
  });
});

describe('Categorical', () => {
  const logits = [
    [1, 2, 0.5],
    [100, -100, 0],
  ];
  const logSoftmax = (row: number[]) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    return row.map((v) => v - lse);
  };

  it('logProb of indices and of one-hot rows equals the float64 log-softmax', () => {
    tf.tidy(() => {
      const d = new Categorical(tf.tensor2d(logits));
      const ref = logits.map(logSoftmax);
      expectClose(values(d.logProb(tf.tensor1d([1, 2], 'int32'))), [ref[0][1], ref[1][2]], 1e-5);
      expectClose(values(d.logProb(tf.tensor1d([0, 1], 'int32'))), [ref[0][0], ref[1][1]], 1e-4);
      expectClose(
        values(d.logProb(tf.oneHot(tf.tensor1d([1, 2], 'int32'), 3))),
        [ref[0][1], ref[1][2]],
        1e-5,
      );
      const entropy = ref.map((row) => -row.reduce((a, l) => a + Math.exp(l) * l, 0));
      expectClose(values(d.entropy()), entropy, 1e-5);
      expect(() => d.logProb(tf.tensor1d([0, 1, 2], 'int32'))).toThrow(ShapeError);
      expect(() => d.logProb(tf.ones([2, 4]))).toThrow(/logits' shape \[2,3\]/);
      expect(() => d.logProb(tf.ones([2]))).toThrow(/must be int32/);
    });
  });

  it('supports a single category', () => {
    tf.tidy(() => {
      const d = new Categorical(tf.zeros([3, 1]));
      expect(values(d.logProb(tf.zeros([3], 'int32')))).toEqual([0, 0, 0]);
      expect(values(d.sample(1, [2]))).toEqual([0, 0, 0, 0, 0, 0]);
      expect(values(d.entropy()).map(Math.abs)).toEqual([0, 0, 0]);
    });
  });

  it('handles −Inf (masked) logits without NaN', () => {
    tf.tidy(() => {
      const d = new Categorical(tf.tensor1d([0, Number.NEGATIVE_INFINITY, 0]));
      expect(values(d.entropy())[0]).toBeCloseTo(Math.LN2, 6);
      expect(values(d.logProb(tf.scalar(0, 'int32')))[0]).toBeCloseTo(-Math.LN2, 6);
      expect(values(d.sample(2, [2000])).includes(1)).toBe(false);
    });
  });

  it('Gumbel-max samples match the probabilities and are reproducible per seed', () => {
    tf.tidy(() => {
      const d = new Categorical(tf.tensor2d(logits));
      const draws = d.sample(13, [20000]);
      expect(draws.shape).toEqual([20000, 2]);
      expect(draws.dtype).toBe('int32');
      const freq = values(tf.mean(tf.oneHot(tf.unstack(draws, 1)[0] as tf.Tensor1D, 3), 0));
      logSoftmax(logits[0]).forEach((l, k) => {
        expect(Math.abs(freq[k] - Math.exp(l))).toBeLessThan(0.015);
      });
      expect(values(tf.unstack(draws, 1)[1]).every((k) => k === 0)).toBe(true);
      expect(values(d.sample(9, [6]))).toEqual(values(d.sample(9, [6])));
      expect(values(d.mode())).toEqual([1, 0]);
    });
  });
});

describe('Logistic', () => {
  it('logProb, cdf and logCdf match float64', () => {
    tf.tidy(() => {
      const mu = 0.5;
      const s = 0.2;
      const xs = [-3, 0, 0.5, 1.3, 40];
      const d = new Logistic(tf.scalar(mu), tf.scalar(Math.log(s)));
      const z = xs.map((x) => (x - mu) / s);
      expectClose(
        values(d.logProb(tf.tensor1d(xs))),
        z.map((v) => -v - 2 * softplus(-v) - Math.log(s)),
        1e-4,
      );
      expectClose(
        values(d.cdf(tf.tensor1d(xs))),
        z.map((v) => 1 / (1 + Math.exp(-v))),
        1e-6,
      );
      expectClose(
        values(d.logCdf(tf.tensor1d(xs))),
        z.map((v) => -softplus(-v)),
        1e-4,
      );
      expect(values(d.logProb(tf.scalar(1e4)))[0]).toBeLessThan(-1e4);
      expect(values(d.entropy())[0]).toBeCloseTo(Math.log(s) + 2, 6);
    });
  });

  it('inverse-CDF samples have mean μ and variance s²π²/3, reproducibly', () => {
    tf.tidy(() => {
      const d = new Logistic(tf.tensor1d([1]), tf.tensor1d([Math.log(0.5)]));
      const draws = d.sample(21, [40000]).dataSync();
      expect(Math.abs(meanOf(draws) - 1)).toBeLessThan(0.02);
      expect(
        Math.abs(varianceOf(draws) - (0.25 * Math.PI ** 2) / 3) / ((0.25 * Math.PI ** 2) / 3),
      ).toBeLessThan(0.05);
      const below = Array.from(draws).filter((x) => x < 1.5).length / draws.length;
      expect(Math.abs(below - 1 / (1 + Math.exp(-1)))).toBeLessThan(0.01);
      expect(values(d.sample(4, [3]))).toEqual(values(d.sample(4, [3])));
      expect(values(d.variance())[0]).toBeCloseTo((0.25 * Math.PI ** 2) / 3, 5);
    });
  });
});

describe('memory', () => {
  it('distribution methods leave no tensors behind', () => {
    const loc = tf.tensor1d([0, 1]);
    const scale = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const n = new Normal(loc, scale);
      const results = [
        n.logProb(loc),
        n.sample(i),
        n.rsample(i),
        n.entropy(),
        n.klToStandardNormal(),
        n.klDivergence(n),
        n.stddev(),
        new Bernoulli(loc).logProb(loc),
        new Bernoulli(loc).sample(i),
        new Categorical(loc).sample(i),
        new Categorical(loc).entropy(),
        new Logistic(loc, scale).sample(i),
        new Logistic(loc, scale).logProb(loc),
      ];
      expect(tf.memory().numTensors).toBe(before + results.length);
      tf.dispose(results);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([loc, scale]);
  });
});
