/**
 * Sample-quality metrics against closed forms and direct host computations: Fréchet distance, kernel
 * distance (KID), classifier score and improved precision/recall.
 */

import { initBackend } from '@genzoo/backends';
import { ConfigError, Random, ShapeError, symmetricEigen } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  classifierScore,
  type FeatureSet,
  type FeatureStatistics,
  featureStatistics,
  frechetDistance,
  kernelDistance,
  precisionRecall,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend({ force: 'wasm', quiet: true });
});

/** Runs `fn` and checks that it leaves as many tensors as there were before. */
function withoutLeaks<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const result = fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** `count` features x = mean + L z, z ~ N(0, I), with `mix` the row-major [dim, dim] L (default I). */
function gaussian(seed: number, count: number, mean: number[], mix?: number[][]): FeatureSet {
  const rng = new Random(seed);
  const dim = mean.length;
  const values = new Float32Array(count * dim);
  const z = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < dim; i++) z[i] = rng.normal();
    for (let i = 0; i < dim; i++) {
      values[n * dim + i] = mean[i] + (mix ? mix[i].reduce((s, l, j) => s + l * z[j], 0) : z[i]);
    }
  }
  return { values, count, dim };
}

/** The same features moved by `shift`. */
function shifted(f: FeatureSet, shift: number[]): FeatureSet {
  return { ...f, values: f.values.map((v, i) => v + shift[i % f.dim]) };
}

/** Two sets side by side: [a; b]. */
function stacked(a: FeatureSet, b: FeatureSet): FeatureSet {
  const values = new Float32Array(a.values.length + b.values.length);
  values.set(a.values);
  values.set(b.values, a.values.length);
  return { values, count: a.count + b.count, dim: a.dim };
}

const row = (f: FeatureSet, n: number) => f.values.subarray(n * f.dim, (n + 1) * f.dim);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const squaredDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
};
const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

function meanAndStandardError(xs: number[]): { mean: number; se: number } {
  const mean = sum(xs) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, se: Math.sqrt(variance / xs.length) };
}

/** Statistics of N(mean, Qᵀ diag(variances) Q), Q's rows orthonormal (the identity when not given). */
function gaussianStatistics(mean: number[], variances: number[], q?: Float64Array): FeatureStatistics {
  const dim = mean.length;
  const basis = q ?? Float64Array.from({ length: dim * dim }, (_, i) => (i % (dim + 1) === 0 ? 1 : 0));
  const covariance = Float64Array.from({ length: dim * dim }, (_, ij) => {
    const [i, j] = [Math.floor(ij / dim), ij % dim];
    return variances.reduce((s, v, k) => s + basis[k * dim + i] * v * basis[k * dim + j], 0);
  });
  // Exact statistics: no finite sample behind them.
  return { mean: Float64Array.from(mean), covariance, count: Number.POSITIVE_INFINITY, dim };
}

describe('frechetDistance', () => {
  const mix = [
    [1, 0, 0, 0],
    [0.5, 1, 0, 0],
    [-0.3, 0.2, 2, 0],
    [0.1, 0.4, -0.5, 0.7],
  ];

  it('is 0 between a set and itself, symmetric, and the same from features or statistics', () => {
    const a = gaussian(1, 400, [3, -1, 0.5, 2], mix);
    const b = gaussian(2, 300, [0, 0, 0, 0]);
    const statsA = featureStatistics(a);
    const scale = sum(Array.from({ length: 4 }, (_, i) => statsA.covariance[i * 5]));
    expect(Math.abs(withoutLeaks(() => frechetDistance(a, a)))).toBeLessThan(1e-6 * scale);
    const ab = frechetDistance(a, b);
    expect(ab).toBeGreaterThan(1);
    expect(frechetDistance(b, a)).toBeCloseTo(ab, 9);
    expect(frechetDistance(statsA, featureStatistics(b))).toBe(ab);
  });

  it('grows monotonically with a mean shift, by ‖shift‖² when the covariance is the same', () => {
    const a = gaussian(3, 400, [0, 0, 0, 0], mix);
    const b = gaussian(4, 400, [0, 0, 0, 0], mix);
    const direction = [1, -2, 0.5, 1];
    const along = (s: number) => direction.map((u) => s * u);
    const shifts = [0, 0.25, 0.5, 1, 2, 4];
    const distances = shifts.map((s) => frechetDistance(a, shifted(b, along(s))));
    for (let i = 1; i < distances.length; i++) expect(distances[i]).toBeGreaterThan(distances[i - 1]);
    for (const s of shifts) {
      // Float32 features: the shifted copy's covariance differs from a's by round-off only.
      expect(frechetDistance(a, shifted(a, along(s)))).toBeCloseTo(s * s * dot(direction, direction), 3);
    }
  });

  it('approaches ‖μ‖² for large samples of N(0, I) and N(μ, I)', () => {
    const mu = [1, -0.5, 0.8, 0.3];
    const n = 20_000;
    const a = featureStatistics(gaussian(5, n, [0, 0, 0, 0]));
    const b = featureStatistics(gaussian(6, n, mu));
    const fd = frechetDistance(a, b);
    // ‖μ̂₁ − μ̂₂‖² = ‖μ‖² + 2μᵀε + ‖ε‖², ε ~ N(0, 2I/n): the cross term's std 2‖μ‖√(2/n) dominates.
    expect(Math.abs(fd - dot(mu, mu))).toBeLessThan(4 * 2 * Math.sqrt((dot(mu, mu) * 2) / n));
    // The covariance terms nearly cancel: their bias is O(d²/n).
    const meanTerm = squaredDistance(a.mean, b.mean);
    expect(Math.abs(fd - meanTerm)).toBeLessThan(0.005);
  });

  it('equals ‖Δμ‖² + Σ(σ₁ − σ₂)² for diagonal covariances, also in a rotated basis', () => {
    const rng = new Random(7);
    const dim = 10;
    const m1 = Array.from({ length: dim }, () => rng.normal());
    const m2 = Array.from({ length: dim }, () => rng.normal());
    const v1 = Array.from({ length: dim }, () => 0.1 + 3 * rng.next());
    const v2 = Array.from({ length: dim }, (_, i) => (i === 0 ? 0 : 0.1 + 3 * rng.next())); // one singular
    const expected =
      squaredDistance(m1, m2) + v1.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(v2[i])) ** 2, 0);
    const symmetric = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j <= i; j++) symmetric[i * dim + j] = symmetric[j * dim + i] = rng.normal();
    }
    const q = symmetricEigen(symmetric, dim).vectors;
    expect(frechetDistance(gaussianStatistics(m1, v1), gaussianStatistics(m2, v2))).toBeCloseTo(expected, 9);
    expect(frechetDistance(gaussianStatistics(m1, v1, q), gaussianStatistics(m2, v2, q))).toBeCloseTo(
      expected,
      6,
    );
  });

  it('matches the 2×2 closed form when the covariances do not commute', () => {
    // For 2×2 SPD Σ₁, Σ₂: tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2} = √(tr Σ₁Σ₂ + 2 √(det Σ₁ det Σ₂)).
    const s1 = [2, 0.8, 0.8, 1];
    const s2 = [0.5, -0.3, -0.3, 3];
    const trProduct = s1[0] * s2[0] + s1[1] * s2[2] + s1[2] * s2[1] + s1[3] * s2[3];
    const det = (s: number[]) => s[0] * s[3] - s[1] * s[2];
    const traceRoot = Math.sqrt(trProduct + 2 * Math.sqrt(det(s1) * det(s2)));
    const stats = (s: number[], mean: number[]): FeatureStatistics => ({
      mean: Float64Array.from(mean),
      covariance: Float64Array.from(s),
      count: 100,
      dim: 2,
    });
    const fd = frechetDistance(stats(s1, [1, 2]), stats(s2, [0, 0]));
    expect(fd).toBeCloseTo(5 + s1[0] + s1[3] + s2[0] + s2[3] - 2 * traceRoot, 12);
  });

  it('computes the unbiased covariance', () => {
    const f: FeatureSet = { values: Float32Array.from([1, 2, 3, 6, 5, 4]), count: 3, dim: 2 };
    const { mean, covariance } = featureStatistics(f);
    expect(Array.from(mean)).toEqual([3, 4]);
    // Deviations (−2, −2), (0, 2), (2, 0); sums of products 8, 4, 4, 8 over N − 1 = 2.
    expect(Array.from(covariance)).toEqual([4, 2, 2, 4]);
  });

  it('rejects malformed features and statistics, naming the problem', () => {
    const good = gaussian(8, 10, [0, 0]);
    expect(() => frechetDistance({ ...good, count: 9 }, good)).toThrow(ShapeError);
    expect(() => frechetDistance({ ...good, count: 9 }, good)).toThrow(
      /first argument: 20 values do not fill/,
    );
    expect(() => frechetDistance(good, { values: Float32Array.from([1, 2]), count: 1, dim: 2 })).toThrow(
      /second argument: need at least 2 feature rows/,
    );
    const withNaN = { ...good, values: good.values.map((v, i) => (i === 7 ? Number.NaN : v)) };
    expect(() => featureStatistics(withNaN)).toThrow(/feature 1 of row 3 is NaN/);
    expect(() => frechetDistance(good, gaussian(9, 10, [0, 0, 0]))).toThrow(/dimensions differ \(2 and 3\)/);
    expect(() =>
      frechetDistance(good, { mean: new Float64Array(2), covariance: new Float64Array(3), count: 5, dim: 2 }),
    ).toThrow(/covariance of 3 entries/);
  });
});

/** MMD²_u of the polynomial kernel, in float64 over all pairs. */
function hostUnbiasedMmd2(x: FeatureSet, y: FeatureSet): number {
  const d = x.dim;
  const k = (a: ArrayLike<number>, b: ArrayLike<number>) => (dot(a, b) / d + 1) ** 3;
  const m = x.count;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) {
        xx += k(row(x, i), row(x, j));
        yy += k(row(y, i), row(y, j));
      }
      xy += k(row(x, i), row(y, j));
    }
  }
  return xx / (m * (m - 1)) + yy / (m * (m - 1)) - (2 * xy) / (m * m);
}

describe('kernelDistance', () => {
  const zeros = (dim: number) => new Array<number>(dim).fill(0);

  it('matches the U-statistic computed on the host for one block (several row chunks)', () => {
    const real = gaussian(10, 1100, [0.5, 0, -0.5, 1, 0, 0]);
    const fake = gaussian(11, 1100, [0, 0.3, -0.5, 1, 0.2, 0]);
    const result = withoutLeaks(() => kernelDistance(real, fake, { blocks: 1 }));
    expect(result.blocks).toBe(1);
    expect(result.blockSize).toBe(1100);
    expect(result.stderr).toBeNaN();
    const expected = hostUnbiasedMmd2(real, fake);
    expect(expected).toBeGreaterThan(0.05);
    expect(Math.abs(result.kid - expected)).toBeLessThan(1e-4 * expected);
  });

  it('is unbiased: near 0 on average for two samples of one distribution', () => {
    const dim = 8;
    const kids = Array.from(
      { length: 40 },
      (_, r) =>
        kernelDistance(gaussian(100 + 2 * r, 100, zeros(dim)), gaussian(101 + 2 * r, 100, zeros(dim)), {
          blocks: 2,
          seed: r,
        }).kid,
    );
    const { mean, se } = meanAndStandardError(kids);
    expect(Math.abs(mean)).toBeLessThan(3 * se);
    const one = kernelDistance(gaussian(12, 1000, zeros(dim)), gaussian(13, 1000, zeros(dim)));
    expect(one.blocks).toBe(10);
    expect(one.blockSize).toBe(100);
    expect(Math.abs(one.kid)).toBeLessThan(3 * one.stderr);
  });

  it('is clearly positive for a shifted distribution', () => {
    const dim = 8;
    const result = kernelDistance(
      gaussian(14, 1000, zeros(dim)),
      gaussian(15, 1000, new Array(dim).fill(0.3)),
    );
    expect(result.kid).toBeGreaterThan(5 * result.stderr);
  });

  it('cuts the smaller set into equal blocks, reproducibly for a seed', () => {
    const real = gaussian(16, 1000, [0, 0, 0]);
    const fake = gaussian(17, 730, [0, 0, 0]);
    const a = kernelDistance(real, fake, { blocks: 10, seed: 3 });
    expect(a.blockSize).toBe(73);
    expect(kernelDistance(real, fake, { blocks: 10, seed: 3 })).toEqual(a);
    expect(kernelDistance(real, fake, { blocks: 10, seed: 4 }).kid).not.toBe(a.kid);
  });

  it('rejects too many blocks and mismatched features', () => {
    const real = gaussian(18, 30, [0, 0]);
    expect(() => kernelDistance(real, gaussian(19, 25, [0, 0]), { blocks: 13 })).toThrow(ConfigError);
    expect(() => kernelDistance(real, gaussian(19, 25, [0, 0]), { blocks: 13 })).toThrow(
      /leave 1 per block, and the U-statistic needs at least 2/,
    );
    expect(() => kernelDistance(real, real, { blocks: 0 })).toThrow(/blocks must be a positive integer/);
    expect(() => kernelDistance(real, gaussian(20, 30, [0, 0, 0]))).toThrow(
      /real features have dimension 2 but fake ones 3/,
    );
  });
});

describe('classifierScore', () => {
  /** Row-major probabilities of the given rows. */
  const probabilities = (rows: number[][]) => Float32Array.from(rows.flat());
  const oneHot = (c: number, classes: number) => Array.from({ length: classes }, (_, i) => (i === c ? 1 : 0));

  it('is C for confident predictions spread evenly over C classes', () => {
    const classes = 7;
    const rows = Array.from({ length: 70 }, (_, n) => oneHot(n % classes, classes));
    const score = withoutLeaks(() => classifierScore(probabilities(rows), 70, classes));
    expect(score.mean).toBeCloseTo(classes, 12);
    expect(score.std).toBeCloseTo(0, 12);
  });

  it('is 1 when every sample predicts the same class, and for uniform predictions', () => {
    const same = Array.from({ length: 20 }, () => oneHot(2, 4));
    expect(classifierScore(probabilities(same), 20, 4, { splits: 2 })).toEqual({ mean: 1, std: 0 });
    const uniform = Array.from({ length: 20 }, () => [0.25, 0.25, 0.25, 0.25]);
    expect(classifierScore(probabilities(uniform), 20, 4, { splits: 2 }).mean).toBeCloseTo(1, 12);
  });

  it('matches exp E KL(p(y|x) ‖ p(y)) computed by hand', () => {
    // p(y) = (0.55, 0.45).
    const kl =
      0.9 * Math.log(0.9 / 0.55) +
      0.1 * Math.log(0.1 / 0.45) +
      0.2 * Math.log(0.2 / 0.55) +
      0.8 * Math.log(0.8 / 0.45);
    const score = classifierScore(
      probabilities([
        [0.9, 0.1],
        [0.2, 0.8],
      ]),
      2,
      2,
      { splits: 1 },
    );
    expect(score.mean).toBeCloseTo(Math.exp(kl / 2), 6);
  });

  it('scores each split with its own marginal and reports their population std', () => {
    // First split: two classes evenly (score 2); second: one class only (score 1).
    const rows = [0, 1, 0, 1, 0, 0, 0, 0].map((c) => oneHot(c, 2));
    const score = classifierScore(probabilities(rows), 8, 2, { splits: 2 });
    expect(score.mean).toBeCloseTo(1.5, 12);
    expect(score.std).toBeCloseTo(0.5, 12);
  });

  it('rejects probabilities that are not probabilities', () => {
    expect(() => classifierScore(Float32Array.from([0.5, 0.4]), 1, 2, { splits: 1 })).toThrow(
      /sample 0 sum to 0\.9/,
    );
    expect(() => classifierScore(Float32Array.from([1.5, -0.5]), 1, 2, { splits: 1 })).toThrow(
      /probability of class 0 for sample 0 is 1\.5/,
    );
    expect(() => classifierScore(Float32Array.from([1, 0, 0]), 2, 2)).toThrow(ShapeError);
    expect(() => classifierScore(Float32Array.from([1, 0, 0, 1]), 2, 2)).toThrow(
      /splits must be an integer in \[1, 2\], got 10/,
    );
  });
});

/** Precision and recall by brute force in float64. */
function hostPrecisionRecall(real: FeatureSet, fake: FeatureSet, k: number) {
  const radii2 = (f: FeatureSet) =>
    Array.from({ length: f.count }, (_, i) => {
      const d2 = Array.from({ length: f.count }, (_, j) => squaredDistance(row(f, i), row(f, j)));
      return d2.sort((a, b) => a - b)[k]; // [0] is the point itself
    });
  const insideFraction = (points: FeatureSet, centres: FeatureSet, r2: number[]) =>
    Array.from({ length: points.count }, (_, i) =>
      r2.some((r, j) => squaredDistance(row(points, i), row(centres, j)) <= r),
    ).filter(Boolean).length / points.count;
  return {
    precision: insideFraction(fake, real, radii2(real)),
    recall: insideFraction(real, fake, radii2(fake)),
  };
}

describe('precisionRecall', () => {
  it('is (1, 1) for identical sets', () => {
    const real = gaussian(30, 300, [5, 5, 5, 5]);
    expect(withoutLeaks(() => precisionRecall(real, real))).toEqual({ precision: 1, recall: 1 });
  });

  it('has precision ≈ 1 and recall ≈ 0.5 when the fakes cover one of two real clusters', () => {
    const real = stacked(gaussian(31, 300, [-20, 0, 0]), gaussian(32, 300, [20, 0, 0]));
    const fake = gaussian(33, 300, [-20, 0, 0]);
    const { precision, recall } = precisionRecall(real, fake);
    expect(precision).toBeGreaterThan(0.9);
    expect(recall).toBeLessThanOrEqual(0.5);
    expect(recall).toBeGreaterThan(0.45);
  });

  it('is (0, 0) for fakes far away', () => {
    const real = gaussian(34, 200, [0, 0, 0]);
    expect(precisionRecall(real, gaussian(35, 200, [50, 0, 0]))).toEqual({ precision: 0, recall: 0 });
  });

  it('matches a brute-force computation across several row chunks, for k = 1 and 3', () => {
    const real = gaussian(36, 1100, [0, 0, 0]);
    const fake = gaussian(
      37,
      1300,
      [0.5, 0, 0],
      [
        [1.5, 0, 0],
        [0, 0.5, 0],
        [0.3, 0, 1],
      ],
    );
    for (const k of [1, 3]) {
      const result = withoutLeaks(() => precisionRecall(real, fake, { k }));
      const expected = hostPrecisionRecall(real, fake, k);
      expect(result.precision).toBeCloseTo(expected.precision, 12);
      expect(result.recall).toBeCloseTo(expected.recall, 12);
      expect(result.precision).toBeGreaterThan(0.1);
      expect(result.precision).toBeLessThan(0.99);
    }
  });

  it('rejects a k that the sets are too small for', () => {
    const real = gaussian(38, 4, [0, 0]);
    expect(() => precisionRecall(real, real, { k: 4 })).toThrow(ConfigError);
    expect(() => precisionRecall(real, real, { k: 4 })).toThrow(
      /k = 4 needs more than k features in each set/,
    );
    expect(() => precisionRecall(real, real, { k: 0 })).toThrow(/k must be a positive integer/);
  });
});
