/**
 * Dense float64 Cholesky factorization and triangular solves, for the small symmetric positive-definite
 * matrices of the classic models (a mixture's D×D covariances, PPCA's q×q M = WᵀW + σ²I). tfjs has no
 * linear-algebra kernels beyond QR and Gram–Schmidt, and float32 would not do anyway: a covariance
 * with condition number 10⁶ loses every digit of its small eigen-directions in float32.
 *
 * Matrices are row-major Float64Arrays: a[i·n + j] is row i, column j. O(n³/3) flops for the factor,
 * fine for n up to a few hundred.
 */
import { GenzooError } from '@genzoo/core';

/**
 * The lower-triangular L with A = LLᵀ (Cholesky–Banachiewicz, row by row). Only the lower triangle of
 * `a` is read. Throws a GenzooError naming `what` when A is not (numerically) positive definite.
 */
export function cholesky(a: Float64Array, n: number, what = 'matrix'): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = a[rowI + j];
      for (let k = 0; k < j; k++) sum -= l[rowI + k] * l[rowJ + k];
      if (i === j) {
        if (!(sum > 0)) {
          throw new GenzooError(
            `${what} is not positive definite (Cholesky pivot ${i} is ${sum}); its covariance is singular`,
          );
        }
        l[rowI + i] = Math.sqrt(sum);
      } else {
        l[rowI + j] = sum / l[rowJ + j];
      }
    }
  }
  return l;
}

/** log|A| = 2 Σ log L_ii from A's Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** L⁻¹ of a lower-triangular L, itself lower triangular, by forward substitution on the columns of I. */
export function invertLower(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    inv[col * n + col] = 1 / l[col * n + col];
    for (let i = col + 1; i < n; i++) {
      let sum = 0;
      for (let k = col; k < i; k++) sum -= l[i * n + k] * inv[k * n + col];
      inv[i * n + col] = sum / l[i * n + i];
    }
  }
  return inv;
}

/** A⁻¹ = L⁻ᵀL⁻¹ for symmetric positive-definite A with Cholesky factor L. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const li = invertLower(l, n);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      // (L⁻ᵀL⁻¹)_ij = Σ_k (L⁻¹)_ki (L⁻¹)_kj over k ≥ max(i, j) = i.
      let sum = 0;
      for (let k = i; k < n; k++) sum += li[k * n + i] * li[k * n + j];
      inv[i * n + j] = sum;
      inv[j * n + i] = sum;
    }
  }
  return inv;
}

/** Xᵀ of an r×c row-major matrix. */
export function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
  return t;
}

/** The r×c product A·B of row-major A (r×k) and B (k×c). */
export function matMul(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let m = 0; m < k; m++) {
      const aim = a[i * k + m];
      if (aim === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += aim * b[m * c + j];
    }
  }
  return out;
}
