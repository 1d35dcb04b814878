import { GenzooError, Random } from '@genzoo/core';
import { describe, expect, it } from 'vitest';
import {
  cholesky,
  inverseFromCholesky,
  invertLower,
  logDetFromCholesky,
  matMul,
} from '../src/linalg/cholesky.js';
import { symmetricEigen } from '../src/linalg/eigen.js';
import { solveAndLogDet } from './helpers.js';

/** A random symmetric positive-definite n×n matrix BBᵀ + nI. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s;
    }
  }
  return a;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const identity = (n: number) => Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));

describe('cholesky', () => {
  it('factors a known matrix', () => {
    // [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = LLᵀ with L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]].
    const a = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    expect(Array.from(cholesky(a, 3))).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    expect(logDetFromCholesky(cholesky(a, 3), 3)).toBeCloseTo(Math.log(36), 12);
  });

  it('inverts and computes log-determinants of random SPD matrices', () => {
    const n = 12;
    const a = randomSpd(n, 4);
    const l = cholesky(a, n);
    expect(
      maxAbsDiff(
        matMul(
          l,
          Float64Array.from({ length: n * n }, (_, i) => l[(i % n) * n + Math.floor(i / n)]),
          n,
          n,
          n,
        ),
        a,
      ),
    ).toBeLessThan(1e-9);
    expect(maxAbsDiff(matMul(a, inverseFromCholesky(l, n), n, n, n), identity(n))).toBeLessThan(1e-12);
    expect(maxAbsDiff(matMul(l, invertLower(l, n), n, n, n), identity(n))).toBeLessThan(1e-12);
    const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
    expect(logDetFromCholesky(l, n)).toBeCloseTo(solveAndLogDet(rows, new Array(n).fill(0)).logDet, 9);
  });

  it('names the matrix when it is not positive definite', () => {
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2, 'covariance of component 3')).toThrow(
      GenzooError,
    );
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2, 'covariance of component 3')).toThrow(
      /covariance of component 3 is not positive definite \(Cholesky pivot 1/,
    );
  });
});

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
      const av = matMul(a, v, n, n, 1);
      expect(
        maxAbsDiff(
          av,
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
    expect(maxAbsDiff(matMul(zero.vectors, zero.vectors, 3, 3, 3), identity(3))).toBeLessThan(1e-15);
  });
});
