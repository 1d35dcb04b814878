import { GenzooError, Random } from '@genzoo/core';
import { describe, expect, it } from 'vitest';
import {
  cholesky,
  inverseFromCholesky,
  invertLower,
  logDetFromCholesky,
  matMul,
} from '../src/common/linalg/cholesky.js';
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
