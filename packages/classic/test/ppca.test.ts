import { ConfigError, PluginRegistry, Random, type StepContext, symmetricEigen } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classicPlugin } from '../src/index.js';
import { ppcaConfigSchema } from '../src/ppca/config.js';
import { ProbabilisticPca } from '../src/ppca/model.js';
import { gaussianLogDensity, moments, rowsOf, solveAndLogDet, useCpu } from './helpers.js';

beforeAll(useCpu);

const context: StepContext = { step: 0, nextSeed: () => 0 };
const D = 6;
const Q = 2;

function createPpca(config: Record<string, unknown>, eventShape: number[] = [D], seed = 1): ProbabilisticPca {
  return new ProbabilisticPca('ppca', ppcaConfigSchema.parse(config), { eventShape, seed });
}

function update(model: ProbabilisticPca, x: tf.Tensor, steps = 1): number[] {
  const player = model.trainingPlan().players[0];
  if (player.kind !== 'update') throw new Error('expected an update player');
  return Array.from({ length: steps }, () => player.update({ x }, context).logLikelihood);
}

/** n points from x = Wz + μ + σε with a fixed W (D×Q), drawn on the host. */
function ppcaData(n: number, seed: number): number[][] {
  const rng = new Random(seed);
  const w = Array.from({ length: D }, (_, i) => [Math.cos(i), 0.5 * Math.sin(2 * i) + 0.3]);
  const mu = Array.from({ length: D }, (_, i) => i - 2);
  return Array.from({ length: n }, () => {
    const z = [rng.normal(), rng.normal()];
    return mu.map((m, i) => m + w[i][0] * z[0] * 2 + w[i][1] * z[1] + 0.3 * rng.normal());
  });
}

/** The fitted C = WWᵀ + σ²I, μ and σ², read back in float64. */
function fitted(model: ProbabilisticPca) {
  const w = rowsOf(model.parameters.weights);
  const sigma2 = Math.exp(model.parameters.logVariance.dataSync()[0]);
  const c = w.map((wi, i) =>
    w.map((wj, j) => wi.reduce((s, v, k) => s + v * wj[k], 0) + (i === j ? sigma2 : 0)),
  );
  return { w, sigma2, c, mu: Array.from(model.parameters.mean.dataSync()) };
}

describe('PPCA closed form', () => {
  const points = ppcaData(2000, 1);

  it('gives the Tipping–Bishop solution: σ² = mean discarded eigenvalue, WWᵀ = U_q(Λ_q − σ²I)U_qᵀ', () => {
    const x = tf.tensor2d(points);
    const model = createPpca({ latentDim: Q });
    update(model, x);
    const { mean, covariance } = moments(points);
    const { values, vectors } = symmetricEigen(Float64Array.from(covariance.flat()), D);
    const { w, sigma2, mu } = fitted(model);
    expect(sigma2).toBeCloseTo(values.slice(Q).reduce((a, b) => a + b, 0) / (D - Q), 4);
    mu.forEach((m, i) => {
      expect(m).toBeCloseTo(mean[i], 4);
    });
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        let expected = 0;
        for (let k = 0; k < Q; k++)
          expected += vectors[k * D + i] * vectors[k * D + j] * (values[k] - sigma2);
        expect(w[i].reduce((s, v, k) => s + v * w[j][k], 0)).toBeCloseTo(expected, 3);
      }
    }
    model.dispose();
    x.dispose();
  });

  it('log p(x) equals the float64 multivariate normal density with C = WWᵀ + σ²I', () => {
    const x = tf.tensor2d(points);
    const model = createPpca({ latentDim: Q });
    const reported = update(model, x)[0];
    const { c, mu } = fitted(model);
    const probe = points.slice(0, 50).concat([[10, -10, 10, -10, 10, -10]]);
    const got = Array.from(model.logProb(tf.tensor2d(probe)).dataSync());
    probe.forEach((p, i) => {
      expect(got[i]).toBeCloseTo(gaussianLogDensity(p, mu, c), 3);
    });
    // The step reports the mean log-likelihood of the fitted model, which is the known maximum
    // −½[D log 2π + log|C| + D] (tr(C⁻¹S) = D at the optimum).
    const logDetC = solveAndLogDet(c, new Array(D).fill(0)).logDet;
    expect(reported).toBeCloseTo(-0.5 * (D * Math.log(2 * Math.PI) + logDetC + D), 3);
    model.dispose();
    x.dispose();
  });

  it('encodes to the exact posterior and decodes to Wz + μ', () => {
    const x = tf.tensor2d(points.slice(0, 20));
    const model = createPpca({ latentDim: Q }, [3, 2]);
    update(model, tf.reshape(tf.tensor2d(points), [points.length, 3, 2]));
    const { w, sigma2, mu } = fitted(model);
    // M = WᵀW + σ²I; posterior mean M⁻¹Wᵀ(x − μ), covariance σ²M⁻¹.
    const m = [0, 1].map((a) =>
      [0, 1].map((b) => w.reduce((s, row) => s + row[a] * row[b], 0) + (a === b ? sigma2 : 0)),
    );
    const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const mInv = [
      [m[1][1] / det, -m[0][1] / det],
      [-m[1][0] / det, m[0][0] / det],
    ];
    const { mean, stddev } = model.encode(tf.reshape(x, [20, 3, 2]));
    const means = rowsOf(mean);
    points.slice(0, 20).forEach((p, n) => {
      const wtx = [0, 1].map((a) => w.reduce((s, row, i) => s + row[a] * (p[i] - mu[i]), 0));
      [0, 1].forEach((a) => {
        expect(means[n][a]).toBeCloseTo(mInv[a][0] * wtx[0] + mInv[a][1] * wtx[1], 4);
      });
    });
    expect(rowsOf(stddev)[7].map((s) => s * s)).toEqual(
      [0, 1].map((a) => expect.closeTo(sigma2 * mInv[a][a], 6)),
    );
    const decoded = model.decode(tf.tensor2d([[1, -2]]));
    expect(decoded.shape).toEqual([1, 3, 2]);
    Array.from(decoded.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(mu[i] + w[i][0] - 2 * w[i][1], 5);
    });
    model.dispose();
    tf.dispose([x, mean, stddev, decoded]);
  });
});

describe('PPCA EM', () => {
  it('never decreases the log-likelihood and converges to the closed-form maximum', () => {
    const x = tf.tensor2d(ppcaData(1000, 2));
    const exact = createPpca({ latentDim: Q });
    const best = update(exact, x)[0];
    const em = createPpca({ latentDim: Q, fit: 'em' });
    em.initialize(x, 4);
    // EM for PPCA converges linearly, at a rate set by the eigenvalue gaps.
    const lls = update(em, x, 400);
    for (let i = 1; i < lls.length; i++)
      expect(lls[i]).toBeGreaterThanOrEqual(lls[i - 1] - 1e-5 * Math.abs(lls[i - 1]));
    expect(lls[0]).toBeLessThan(best - 0.1);
    expect(lls.at(-1)).toBeCloseTo(best, 3);
    // Same density: C agrees even though W is only determined up to a rotation.
    const a = fitted(exact).c.flat();
    const scale = Math.max(...a.map(Math.abs));
    fitted(em)
      .c.flat()
      .forEach((v, i) => {
        expect(Math.abs(v - a[i])).toBeLessThan(0.005 * scale);
      });
    exact.dispose();
    em.dispose();
    x.dispose();
  });

  it('estimates a tiny noise variance next to a large signal (no float32 cancellation in σ²)', () => {
    // 99.9999% of the variance is explained: the textbook σ² update subtracts sums that agree to 6 digits.
    const rng = new Random(12);
    const d = 40;
    const directions = Array.from({ length: d }, (_, i) => [Math.cos(i), Math.sin(3 * i)]);
    const rows = Array.from({ length: 3000 }, () => {
      const z = [30 * rng.normal(), 20 * rng.normal()];
      return directions.map(([a, b]) => 5 + a * z[0] + b * z[1] + 0.01 * rng.normal());
    });
    const x = tf.tensor2d(rows);
    const exact = createPpca({ latentDim: Q }, [d]);
    update(exact, x);
    const em = createPpca({ latentDim: Q, fit: 'em' }, [d]);
    em.initialize(x, 1);
    update(em, x, 30);
    const sigma2 = (m: ProbabilisticPca) => Math.exp(m.parameters.logVariance.dataSync()[0]);
    expect(sigma2(exact) / 1e-4).toBeCloseTo(1, 1);
    expect(sigma2(em) / sigma2(exact)).toBeCloseTo(1, 1);
    exact.dispose();
    em.dispose();
    x.dispose();
  });
});

describe('PPCA sampling, state, config and memory', () => {
  it('samples reproducibly per seed with covariance WWᵀ + σ²I', () => {
    const x = tf.tensor2d(ppcaData(1000, 3));
    const model = createPpca({ latentDim: Q }, [2, 3]);
    update(model, tf.reshape(x, [1000, 2, 3]));
    const draws = model.sample(20000, { seed: 5 });
    expect(draws.shape).toEqual([20000, 2, 3]);
    const again = model.sample(4, { seed: 5 });
    expect(again.arraySync()).toEqual(tf.slice(draws, 0, 4).arraySync());
    expect(model.sample(4, { seed: 6 }).arraySync()).not.toEqual(again.arraySync());
    const { c, mu } = fitted(model);
    const m = moments(rowsOf(tf.reshape(draws, [20000, D])));
    m.mean.forEach((v, i) => {
      expect(Math.abs(v - mu[i])).toBeLessThan(0.05);
    });
    m.covariance.flat().forEach((v, i) => {
      expect(Math.abs(v - c.flat()[i])).toBeLessThan(0.05 * c[0][0] + 0.03);
    });
    model.dispose();
    tf.dispose([x, draws, again]);
  });

  it('restores from its variables to an identical logProb', () => {
    const x = tf.tensor2d(ppcaData(300, 4));
    const trained = createPpca({ latentDim: Q, fit: 'em' });
    trained.initialize(x, 1);
    update(trained, x, 3);
    const saved = Object.fromEntries(Object.entries(trained.variables()).map(([k, v]) => [k, v.arraySync()]));
    expect(Object.keys(saved).sort()).toEqual(['logVariance', 'mean', 'weights']);
    const fresh = createPpca({ latentDim: Q, fit: 'em' }, [D], 77);
    for (const [k, v] of Object.entries(fresh.variables())) v.assign(tf.tensor(saved[k] as number[]));
    expect(Array.from(fresh.logProb(x).dataSync())).toEqual(Array.from(trained.logProb(x).dataSync()));
    trained.dispose();
    fresh.dispose();
    x.dispose();
  });

  it('keeps tf.memory().numTensors flat over fits, densities, encodings and samples', () => {
    const x = tf.tensor2d(ppcaData(200, 5));
    const baseline = tf.memory().numTensors;
    for (const fit of ['closed-form', 'em'] as const) {
      const model = createPpca({ latentDim: Q, fit });
      const held = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        model.initialize(x, i);
        update(model, x);
        const { mean, stddev } = model.encode(x);
        tf.dispose([model.logProb(x), model.sample(5, { seed: i }), mean, stddev, model.decode(mean)]);
        expect(tf.memory().numTensors).toBe(held);
      }
      model.dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    }
    x.dispose();
  });

  it('validates its config, and the latent dimension against the data', () => {
    const registry = new PluginRegistry();
    registry.register(classicPlugin);
    expect(registry.parseConfig('ppca', {})).toEqual({
      latentDim: 32,
      fit: 'closed-form',
      minVariance: 1e-6,
    });
    expect(() => registry.parseConfig('ppca', { latentDim: 2.5 })).toThrow(/latentDim/);
    expect(() => registry.parseConfig('ppca', { fit: 'svd' })).toThrow(/fit/);
    expect(() => registry.createModel('ppca', { latentDim: 4 }, { eventShape: [2, 2], seed: 0 })).toThrow(
      ConfigError,
    );
    expect(() => registry.createModel('ppca', { latentDim: 4 }, { eventShape: [2, 2], seed: 0 })).toThrow(
      /latentDim: must be smaller than the data dimension 4/,
    );
  });
});
