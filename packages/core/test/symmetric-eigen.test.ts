import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../src/linalg/symmetric-eigen.js';
import { Random } from '../src/random/seeds.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const identity = (n: number) => Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));

/** Av for the row-major n×n matrix A. */
function matVec(a: Float64Array, v: Float64Array, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => v.reduce((s, x, k) => s + a[i * n + k] * x, 0));
}

/** VVᵀ: the dot products of the rows of the row-major n×n matrix V. */
function gram(v: Float64Array, n: number): Float64Array {
  return Float64Array.from({ length: n * n }, (_, ij) => {
    const [i, j] = [Math.floor(ij / n), ij % n];
    return v.subarray(i * n, i * n + n).reduce((s, x, k) => s + x * v[j * n + k], 0);
  });
}

describe('symmetricEigen', () => {
  it('finds the analytic spectrum of the second-difference matrix', () => {
    // tridiag(−1, 2, −1): λ_k = 2 − 2cos(kπ/(n+1)), v_k(j) ∝ sin(jkπ/(n+1)), k, j = 1..n.
    const n = 40;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 0; j < n; j++) {
      const k = n - j; // descending order
      expect(values[j]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 12);
      const norm = Math.sqrt(2 / (n + 1));
      // Eigenvectors are unique up to sign.
      const sign = Math.sign(vectors[j * n]) * Math.sign(Math.sin((k * Math.PI) / (n + 1)));
      for (let i = 0; i < n; i++) {
        expect(vectors[j * n + i] * sign).toBeCloseTo(norm * Math.sin(((i + 1) * k * Math.PI) / (n + 1)), 10);
      }
    }
  });

  it('decomposes random symmetric matrices: AV = VΛ, VᵀV = I, and leaves A unchanged', () => {
    const n = 60;
    const rng = new Random(8);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const copy = Float64Array.from(a);
    const { values, vectors } = symmetricEigen(a, n);
    expect(a).toEqual(copy);
    for (let j = 1; j < n; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1]);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
    for (let j = 0; j < n; j++) {
      const v = vectors.subarray(j * n, j * n + n);
      expect(
        maxAbsDiff(
          matVec(a, v, n),
          v.map((x) => x * values[j]),
        ),
      ).toBeLessThan(1e-10);
      for (let k = 0; k <= j; k++) {
        const dot = v.reduce((s, x, i) => s + x * vectors[k * n + i], 0);
        expect(dot).toBeCloseTo(j === k ? 1 : 0, 12);
      }
    }
  });

  it('handles repeated eigenvalues and rank deficiency (I + uuᵀ, zero matrices)', () => {
    const n = 5;
    const u = [1, 2, 0, -1, 3];
    const a = Float64Array.from(
      { length: n * n },
      (_, i) => (i % (n + 1) === 0 ? 1 : 0) + u[Math.floor(i / n)] * u[i % n],
    );
    const { values } = symmetricEigen(a, n);
    expect(values[0]).toBeCloseTo(1 + 15, 12);
    for (let j = 1; j < n; j++) expect(values[j]).toBeCloseTo(1, 12);
    const zero = symmetricEigen(new Float64Array(9), 3);
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(maxAbsDiff(gram(zero.vectors, 3), identity(3))).toBeLessThan(1e-15);
  });
});
