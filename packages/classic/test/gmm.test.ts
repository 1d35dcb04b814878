import { ConfigError, PluginRegistry, type StepContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gmmConfigSchema } from '../src/gmm/config.js';
import { GaussianMixture } from '../src/gmm/model.js';
import { classicPlugin } from '../src/index.js';
import {
  covarianceOf,
  gaussianLogDensity,
  logSumExp64,
  type MixtureSpec,
  moments,
  rowsOf,
  sampleMixture,
  useCpu,
} from './helpers.js';

beforeAll(useCpu);

const context: StepContext = { step: 0, nextSeed: () => 0 };

function createGmm(config: Record<string, unknown>, eventShape: number[] = [2], seed = 1): GaussianMixture {
  return new GaussianMixture('gmm', gmmConfigSchema.parse(config), { eventShape, seed });
}

/** Runs `steps` training-plan updates on x; returns the reported log-likelihoods. */
function runEm(model: GaussianMixture, x: tf.Tensor, steps: number): number[] {
  const player = model.trainingPlan().players[0];
  if (player.kind !== 'update') throw new Error('expected an update player');
  return Array.from({ length: steps }, () => player.update({ x }, context).logLikelihood);
}

/** Float64 log p(x) of a mixture read back from the model's variables. */
function referenceLogProb(model: GaussianMixture, points: number[][]): number[] {
  const { logits, means } = model.parameters;
  const logW = Array.from(tf.tidy(() => tf.logSoftmax(logits)).dataSync());
  const mu = rowsOf(means);
  const covariances =
    model.config.covariance === 'diagonal'
      ? rowsOf(model.parameters.logVariances as tf.Tensor).map((row) =>
          row.map((lv, i) => row.map((_, j) => (i === j ? Math.exp(lv) : 0))),
        )
      : (() => {
          const l = model.parameters.covarianceFactors();
          const d = mu[0].length;
          return mu.map((_, k) =>
            covarianceOf(
              Array.from({ length: d }, (__, i) =>
                Array.from(l.subarray(k * d * d + i * d, k * d * d + i * d + d)),
              ),
            ),
          );
        })();
  return points.map((x) =>
    logSumExp64(logW.map((lw, k) => lw + gaussianLogDensity(x, mu[k], covariances[k]))),
  );
}

const truth2d: MixtureSpec = {
  weights: [0.5, 0.3, 0.2],
  means: [
    [-4, 0],
    [3, 3],
    [2, -4],
  ],
  factors: [
    [
      [1, 0],
      [0.6, 0.5],
    ],
    [
      [0.5, 0],
      [0, 1.2],
    ],
    [
      [0.8, 0],
      [-0.4, 0.3],
    ],
  ],
};

/** Index of the fitted component nearest to each true mean. */
function matchComponents(fitted: number[][], trueMeans: number[][]): number[] {
  return trueMeans.map((m) => {
    const distances = fitted.map((f) => f.reduce((a, v, i) => a + (v - m[i]) ** 2, 0));
    return distances.indexOf(Math.min(...distances));
  });
}

describe('GMM by EM', () => {
  it('recovers the weights, means and covariances of a known 2-D full-covariance mixture', () => {
    const points = sampleMixture(truth2d, 3000, 11);
    const x = tf.tensor2d(points);
    const model = createGmm({ components: 3, covariance: 'full' });
    model.initialize(x, 5);
    runEm(model, x, 40);
    const fittedMeans = rowsOf(model.parameters.means);
    const match = matchComponents(fittedMeans, truth2d.means);
    expect(new Set(match).size).toBe(3);
    const weights = Array.from(tf.tidy(() => tf.softmax(model.parameters.logits)).dataSync());
    const factors = model.parameters.covarianceFactors();
    truth2d.weights.forEach((w, k) => {
      expect(Math.abs(weights[match[k]] - w)).toBeLessThan(0.03);
      truth2d.means[k].forEach((m, i) => {
        expect(Math.abs(fittedMeans[match[k]][i] - m)).toBeLessThan(0.1);
      });
      const o = match[k] * 4;
      const fittedCov = covarianceOf([
        [factors[o], factors[o + 1]],
        [factors[o + 2], factors[o + 3]],
      ]);
      const trueCov = covarianceOf(truth2d.factors[k]);
      fittedCov.flat().forEach((c, i) => {
        expect(Math.abs(c - trueCov.flat()[i])).toBeLessThan(0.12);
      });
    });
    model.dispose();
    x.dispose();
  });

  it('recovers a 3-D diagonal mixture', () => {
    const spec: MixtureSpec = {
      weights: [0.6, 0.4],
      means: [
        [0, 0, 0],
        [4, -3, 2],
      ],
      factors: [
        [
          [1, 0, 0],
          [0, 0.5, 0],
          [0, 0, 2],
        ],
        [
          [0.3, 0, 0],
          [0, 1, 0],
          [0, 0, 0.7],
        ],
      ],
    };
    const x = tf.tensor2d(sampleMixture(spec, 2000, 3));
    const model = createGmm({ components: 2, covariance: 'diagonal' }, [3]);
    model.initialize(x, 1);
    runEm(model, x, 30);
    const fittedMeans = rowsOf(model.parameters.means);
    const match = matchComponents(fittedMeans, spec.means);
    const weights = Array.from(tf.tidy(() => tf.softmax(model.parameters.logits)).dataSync());
    const variances = rowsOf(tf.tidy(() => tf.exp(model.parameters.logVariances as tf.Tensor)));
    spec.weights.forEach((w, k) => {
      expect(Math.abs(weights[match[k]] - w)).toBeLessThan(0.03);
      spec.means[k].forEach((m, i) => {
        expect(Math.abs(fittedMeans[match[k]][i] - m)).toBeLessThan(0.12);
      });
      spec.factors[k].forEach((row, i) => {
        expect(variances[match[k]][i] / row[i] ** 2).toBeCloseTo(1, 0);
      });
    });
    model.dispose();
    x.dispose();
  });

  for (const covariance of ['full', 'diagonal'] as const) {
    it(`never decreases the log-likelihood (${covariance} covariance, random init)`, () => {
      // Overlapping components and a poor start make for a long, slow ascent.
      const x = tf.tensor2d(sampleMixture(truth2d, 800, 21).map(([a, b]) => [a * 0.3, b * 0.3]));
      const model = createGmm({ components: 6, covariance, init: 'random', kmeansIterations: 0 });
      model.initialize(x, 2);
      const lls = runEm(model, x, 40);
      for (let i = 1; i < lls.length; i++) {
        expect(lls[i]).toBeGreaterThanOrEqual(lls[i - 1] - 1e-5 * Math.abs(lls[i - 1]));
      }
      expect(lls.at(-1)).toBeGreaterThan(lls[0] + 0.01);
      // The reported value is the mean log p(x) of the parameters the iteration started from.
      const current = tf.tidy(() => tf.mean(model.logProb(x)).dataSync()[0]);
      expect(runEm(model, x, 1)[0]).toBeCloseTo(current, 4);
      model.dispose();
      x.dispose();
    });
  }
});

describe('GMM density', () => {
  for (const covariance of ['full', 'diagonal'] as const) {
    it(`logProb equals the float64 mixture density (${covariance})`, () => {
      const points = sampleMixture(truth2d, 200, 4);
      const x = tf.tensor2d(points);
      const model = createGmm({ components: 3, covariance });
      model.initialize(x, 3);
      runEm(model, x, 3);
      const expected = referenceLogProb(model, points);
      const got = Array.from(model.logProb(x).dataSync());
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i], 3);
      });
      model.dispose();
      x.dispose();
    });
  }

  it('stays accurate in float32 for 784-D data with tiny variances (diagonal)', () => {
    // Image-like data: constant border pixels at 0 and 1 with variance at the regularization floor.
    const d = 784;
    const model = createGmm({ components: 2, covariance: 'diagonal' }, [28, 28, 1]);
    const mu = Array.from({ length: 2 }, (_, k) =>
      Array.from({ length: d }, (__, i) => (i % 7 === 0 ? 0.999 : i % 5 === 0 ? 0.001 : 0.3 + 0.2 * k)),
    );
    const logVar = Array.from({ length: 2 }, () =>
      Array.from({ length: d }, (_, i) => (i % 7 === 0 || i % 5 === 0 ? Math.log(1e-6) : Math.log(0.05))),
    );
    model.parameters.means.assign(tf.tensor2d(mu));
    (model.parameters.logVariances as tf.Variable).assign(tf.tensor2d(logVar));
    const points = [0, 1].map((k) =>
      mu[k].map((m, i) => Math.fround(m + Math.sqrt(Math.exp(logVar[k][i])) * Math.sin(i + k))),
    );
    const expected = points.map((p) =>
      logSumExp64(
        [0, 1].map(
          (k) =>
            Math.log(0.5) +
            p.reduce(
              (a, v, i) =>
                a -
                0.5 * ((v - mu[k][i]) ** 2 / Math.exp(logVar[k][i]) + logVar[k][i] + Math.log(2 * Math.PI)),
              0,
            ),
        ),
      ),
    );
    const got = Array.from(model.logProb(tf.tensor4d(points.flat(), [2, 28, 28, 1])).dataSync());
    // |log p| is about 3500 nats here; float32 allows ~1e-3 relative error in the worst case.
    got.forEach((v, i) => {
      expect(Math.abs(v - expected[i])).toBeLessThan(0.5);
    });
    model.dispose();
  });
});

describe('GMM by gradient', () => {
  for (const covariance of ['full', 'diagonal'] as const) {
    it(`lowers the NLL under a plain Adam loop and keeps variances above the floor (${covariance})`, () => {
      const x = tf.tensor2d(sampleMixture(truth2d, 512, 8));
      const model = createGmm({ components: 3, covariance, fit: 'gradient', regularization: 0.05 });
      const player = model.trainingPlan().players[0];
      if (player.kind !== 'gradient') throw new Error('expected a gradient player');
      expect(player.variables().length).toBe(3);
      const optimizer = tf.train.adam(0.05);
      const nll = () => tf.tidy(() => player.objective.compute({ x }, context).loss.dataSync()[0]);
      const before = nll();
      const tensors = tf.memory().numTensors;
      for (let step = 0; step < 150; step++) {
        optimizer.minimize(() => player.objective.compute({ x }, context).loss, false, player.variables());
        player.afterUpdate?.();
      }
      // Adam allocates its two moment slots per variable on the first step, nothing after.
      expect(tf.memory().numTensors).toBe(tensors + 2 * 3);
      const after = nll();
      expect(after).toBeLessThan(before - 1);
      const minVariance =
        covariance === 'diagonal'
          ? Math.min(...tf.tidy(() => tf.exp(model.parameters.logVariances as tf.Tensor)).dataSync())
          : // L_k,ii², the conditional variances, sit at indices 0 and 3 of each 2×2 factor.
            Math.min(
              ...Array.from(model.parameters.covarianceFactors())
                .filter((_, i) => i % 4 === 0 || i % 4 === 3)
                .map((v) => v * v),
            );
      expect(minVariance).toBeGreaterThanOrEqual(0.05 * (1 - 1e-5));
      optimizer.dispose();
      model.dispose();
      x.dispose();
    });
  }
});

describe('GMM sampling, state and memory', () => {
  it('samples reproducibly per seed, with the mixture moments, in the event shape', () => {
    const points = sampleMixture(truth2d, 2000, 2);
    const x = tf.tensor2d(points);
    for (const covariance of ['full', 'diagonal'] as const) {
      const model = createGmm({ components: 3, covariance }, [2, 1]);
      model.initialize(x, 1);
      runEm(model, x, 20);
      const draws = model.sample(20000, { seed: 3 });
      expect(draws.shape).toEqual([20000, 2, 1]);
      const again = model.sample(5, { seed: 3 });
      expect(again.arraySync()).toEqual(tf.slice(draws, 0, 5).arraySync());
      expect(model.sample(5, { seed: 4 }).arraySync()).not.toEqual(again.arraySync());
      // Mixture moments: E[x] = Σπμ, Cov[x] = Σπ(Σ_k + μμᵀ) − E[x]E[x]ᵀ.
      const weights = Array.from(tf.tidy(() => tf.softmax(model.parameters.logits)).dataSync());
      const mu = rowsOf(model.parameters.means);
      const covs =
        covariance === 'full'
          ? [0, 1, 2].map((k) => {
              const f = model.parameters.covarianceFactors().subarray(k * 4, k * 4 + 4);
              return covarianceOf([
                [f[0], f[1]],
                [f[2], f[3]],
              ]);
            })
          : rowsOf(tf.tidy(() => tf.exp(model.parameters.logVariances as tf.Tensor))).map(([a, b]) => [
              [a, 0],
              [0, b],
            ]);
      const mean = [0, 1].map((i) => weights.reduce((s, w, k) => s + w * mu[k][i], 0));
      const cov = [0, 1].map((i) =>
        [0, 1].map(
          (j) =>
            weights.reduce((s, w, k) => s + w * (covs[k][i][j] + mu[k][i] * mu[k][j]), 0) - mean[i] * mean[j],
        ),
      );
      const m = moments(rowsOf(tf.reshape(draws, [20000, 2])));
      m.mean.forEach((v, i) => {
        expect(Math.abs(v - mean[i])).toBeLessThan(0.08);
      });
      m.covariance.flat().forEach((v, i) => {
        expect(Math.abs(v - cov.flat()[i]) / Math.abs(cov[0][0])).toBeLessThan(0.05);
      });
      tf.dispose([draws, again]);
      model.dispose();
    }
    x.dispose();
  });

  it('restores from its variables to an identical logProb', () => {
    const x = tf.tensor2d(sampleMixture(truth2d, 300, 6));
    for (const covariance of ['full', 'diagonal'] as const) {
      const trained = createGmm({ components: 3, covariance }, [2], 1);
      trained.initialize(x, 1);
      runEm(trained, x, 5);
      const saved = Object.fromEntries(
        Object.entries(trained.variables()).map(([k, v]) => [k, v.arraySync()]),
      );
      const fresh = createGmm({ components: 3, covariance }, [2], 99);
      expect(Object.keys(fresh.variables()).sort()).toEqual(Object.keys(saved).sort());
      for (const [k, v] of Object.entries(fresh.variables())) v.assign(tf.tensor(saved[k] as number[]));
      expect(Array.from(fresh.logProb(x).dataSync())).toEqual(Array.from(trained.logProb(x).dataSync()));
      trained.dispose();
      fresh.dispose();
    }
    x.dispose();
  });

  it('keeps tf.memory().numTensors flat over initialization, updates, densities and samples; dispose frees all', () => {
    const x = tf.tensor2d(sampleMixture(truth2d, 300, 9));
    const baseline = tf.memory().numTensors;
    for (const covariance of ['full', 'diagonal'] as const) {
      const model = createGmm({ components: 3, covariance });
      const held = tf.memory().numTensors;
      for (let i = 0; i < 4; i++) {
        model.initialize(x, i);
        runEm(model, x, 1);
        tf.dispose([model.logProb(x), model.sample(10, { seed: i })]);
        expect(tf.memory().numTensors).toBe(held);
      }
      model.dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    }
    x.dispose();
  });

  it('validates its config with errors that name the key', () => {
    const registry = new PluginRegistry();
    registry.register(classicPlugin);
    expect(registry.parseConfig('gmm', {})).toEqual({
      components: 8,
      covariance: 'full',
      fit: 'em',
      regularization: 1e-6,
      init: 'kmeans++',
      kmeansIterations: 10,
      kmeansRestarts: 3,
    });
    expect(() => registry.parseConfig('gmm', { components: 0 })).toThrow(/components/);
    expect(() => registry.parseConfig('gmm', { covariance: 'spherical' })).toThrow(/covariance/);
    expect(() => registry.parseConfig('gmm', { regularisation: 1 })).toThrow(
      /unknown key\(s\) "regularisation"/,
    );
    expect(() => registry.parseConfig('gmm', { regularization: -1 })).toThrow(ConfigError);
  });

  it('refuses to initialize on fewer examples than components', () => {
    const model = createGmm({ components: 5 });
    expect(() => model.initialize(tf.zeros([3, 2]), 0)).toThrow(/3 examples for 5 clusters/);
    expect(() => model.logProb(tf.zeros([3, 3]))).toThrow(/expected \[batch, 2\]/);
    model.dispose();
  });
});
