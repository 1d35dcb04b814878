/** Shared test helpers: the CPU backend, host-side float64 references and seeded toy data. */
import '@tensorflow/tfjs-backend-cpu';
import { Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Solves A x = b and returns log|det A| by Gaussian elimination with partial pivoting (float64). */
export function solveAndLogDet(a: number[][], b: number[]): { x: number[]; logDet: number } {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]]);
  let logDet = 0;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    logDet += Math.log(Math.abs(m[col][col]));
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return { x, logDet };
}

/** log N(x; μ, Σ) in float64, independent of the library's Cholesky code. */
export function gaussianLogDensity(x: number[], mean: number[], covariance: number[][]): number {
  const diff = x.map((v, i) => v - mean[i]);
  const { x: solved, logDet } = solveAndLogDet(covariance, diff);
  const quadratic = diff.reduce((a, v, i) => a + v * solved[i], 0);
  return -0.5 * (x.length * Math.log(2 * Math.PI) + logDet + quadratic);
}

export function logSumExp64(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, v) => a + Math.exp(v - m), 0));
}

export interface MixtureSpec {
  weights: number[];
  means: number[][];
  /** Lower-triangular factors L_k of Σ_k = L_k L_kᵀ. */
  factors: number[][][];
}

export function covarianceOf(factor: number[][]): number[][] {
  const d = factor.length;
  return factor.map((_, i) =>
    factor.map((__, j) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += factor[i][k] * factor[j][k];
      return s;
    }),
  );
}

/** n points from a Gaussian mixture, drawn on the host with a seeded generator. */
export function sampleMixture(spec: MixtureSpec, n: number, seed: number): number[][] {
  const rng = new Random(seed);
  const d = spec.means[0].length;
  return Array.from({ length: n }, () => {
    let u = rng.next();
    let k = 0;
    while (k < spec.weights.length - 1 && u >= spec.weights[k]) u -= spec.weights[k++];
    const eps = Array.from({ length: d }, () => rng.normal());
    return spec.means[k].map((m, i) => m + spec.factors[k][i].reduce((a, l, j) => a + l * eps[j], 0));
  });
}

/** Column means and the (biased) sample covariance of rows. */
export function moments(rows: ArrayLike<number>[] | number[][]): { mean: number[]; covariance: number[][] } {
  const n = rows.length;
  const d = rows[0].length;
  const mean = Array.from(
    { length: d },
    (_, j) => Array.from(rows, (r) => r[j]).reduce((a, b) => a + b, 0) / n,
  );
  const covariance = mean.map((mi, i) =>
    mean.map((mj, j) => Array.from(rows, (r) => (r[i] - mi) * (r[j] - mj)).reduce((a, b) => a + b, 0) / n),
  );
  return { mean, covariance };
}

export function rowsOf(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}
