/**
 * Small dense linear algebra on the host, in float64: LU decomposition with partial pivoting (PA = LU),
 * log |det A| and A⁻¹. tfjs has no determinant or matrix inverse; the C × C matrices of invertible 1×1
 * convolutions (C ≤ a few hundred) cost microseconds here, against a network pass per step.
 */
import { ShapeError } from '@genzoo/core';

export interface LuDecomposition {
  n: number;
  /** L (unit diagonal, below) and U (on and above the diagonal) packed row-major into one matrix. */
  lu: Float64Array;
  /** Row i of PA is row perm[i] of A. */
  perm: Int32Array;
  /** det P = ±1. */
  sign: number;
}

export function luDecompose(a: ArrayLike<number>, n: number): LuDecomposition {
  if (a.length !== n * n) throw new ShapeError(`luDecompose: expected ${n}×${n} values, got ${a.length}`);
  const lu = Float64Array.from(a);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[pivot * n + k])) pivot = i;
    if (pivot !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[pivot * n + j]] = [lu[pivot * n + j], lu[k * n + j]];
      [perm[k], perm[pivot]] = [perm[pivot], perm[k]];
      sign = -sign;
    }
    const diag = lu[k * n + k];
    if (diag === 0) continue;
    for (let i = k + 1; i < n; i++) {
      lu[i * n + k] /= diag;
      const factor = lu[i * n + k];
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= factor * lu[k * n + j];
    }
  }
  return { n, lu, perm, sign };
}

/** log |det A| = Σ log |U_ii|; −∞ for a singular matrix. */
export function logAbsDeterminant({ n, lu }: LuDecomposition): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log(Math.abs(lu[i * n + i]));
  return sum;
}

/** A⁻¹, row-major, by solving LU x = P e_j for every column j. */
export function inverseOf({ n, lu, perm }: LuDecomposition): Float64Array {
  const inv = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = perm[i] === j ? 1 : 0;
    for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) column[i] -= lu[i * n + k] * column[k];
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k < n; k++) column[i] -= lu[i * n + k] * column[k];
      column[i] /= lu[i * n + i];
    }
    for (let i = 0; i < n; i++) inv[i * n + j] = column[i];
  }
  return inv;
}
