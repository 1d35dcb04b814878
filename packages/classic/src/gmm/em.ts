/**
 * Expectation–maximization for a Gaussian mixture (Dempster, Laird & Rubin 1977; Bishop, PRML §9.2.2).
 *
 * E-step, with the current parameters:
 *   log r_nk = log π_k + log N(x_n; μ_k, Σ_k) − log Σ_j π_j N(x_n; μ_j, Σ_j)
 * and, as a by-product, the mean log-likelihood (1/N) Σ_n log p(x_n), which EM never decreases.
 * M-step, with N_k = Σ_n r_nk:
 *   π_k = N_k / N,   μ_k = Σ_n r_nk x_n / N_k,
 *   Σ_k = Σ_n r_nk (x_n − μ_k)(x_n − μ_k)ᵀ / N_k + λI     (diagonal: only the diagonal of the sum)
 * where λ is the `regularization` (scikit-learn's reg_covar). N_k gets 10·ε added as in scikit-learn,
 * so a component that lost all its points keeps finite parameters instead of dividing by zero.
 *
 * The heavy N×K×D work runs as tensor ops; full covariances are factored in float64 on the host.
 */

import { logSumExp } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { takeMean } from '../common/events.js';
import { type MixtureParameters, rowsPerChunk } from './parameters.js';

/** 10 float32 epsilons, scikit-learn's guard for empty components, at this precision. */
const EMPTY_COMPONENT_GUARD = 10 * 2 ** -23;

/**
 * One EM iteration on x [N, D]; returns the mean log-likelihood under the parameters it started from.
 */
export function emIteration(params: MixtureParameters, x: tf.Tensor2D, regularization: number): number {
  const [responsibilities, logEvidence] = tf.tidy(() => {
    const logJoint = tf.add(params.componentLogDensities(x), params.logWeights()); // [N, K]
    const evidence = logSumExp(logJoint, 1, true); // [N, 1]
    return [tf.exp(tf.sub(logJoint, evidence)) as tf.Tensor2D, evidence];
  });
  try {
    const meanLogLikelihood = takeMean(logEvidence);
    maximize(params, x, responsibilities, regularization);
    return meanLogLikelihood;
  } finally {
    responsibilities.dispose();
  }
}

/** The M-step for responsibilities r [N, K] (soft, or one-hot from a clustering). */
export function maximize(
  params: MixtureParameters,
  x: tf.Tensor2D,
  responsibilities: tf.Tensor2D,
  regularization: number,
): void {
  if (params.covariance === 'diagonal') maximizeDiagonal(params, x, responsibilities, regularization);
  else maximizeFull(params, x, responsibilities, regularization);
}

/** Weights and means, with N_k guarded: [K], [K], [K, D]. */
function weightsAndMeans(x: tf.Tensor2D, r: tf.Tensor2D) {
  const counts = tf.add(tf.sum(r, 0), EMPTY_COMPONENT_GUARD); // [K]
  const logWeights = tf.sub(tf.log(counts), tf.log(tf.sum(counts)));
  // Moments about the data mean rather than the origin: E[y²] − E[y]² then cancels far less in float32.
  const shift = tf.mean(x, 0); // [D]
  const y = tf.sub(x, shift);
  const rT = tf.transpose(r); // [K, N]
  const centered = tf.div(tf.matMul(rT, y), tf.expandDims(counts, 1)); // [K, D]: μ_k − shift
  return { counts, logWeights, shift, y, rT, centered, means: tf.add(centered, shift) };
}

function maximizeDiagonal(
  params: MixtureParameters,
  x: tf.Tensor2D,
  r: tf.Tensor2D,
  regularization: number,
): void {
  tf.tidy(() => {
    const { counts, logWeights, y, rT, centered, means } = weightsAndMeans(x, r);
    const secondMoment = tf.div(tf.matMul(rT, tf.square(y)), tf.expandDims(counts, 1));
    const variances = tf.add(tf.relu(tf.sub(secondMoment, tf.square(centered))), regularization);
    params.setDiagonal(logWeights, means, variances);
  });
}

function maximizeFull(
  params: MixtureParameters,
  x: tf.Tensor2D,
  r: tf.Tensor2D,
  regularization: number,
): void {
  const { components: k, dims: d } = params;
  const [logWeights, means, scatter, counts] = tf.tidy(() => {
    const m = weightsAndMeans(x, r);
    // S_k = Σ_n r_nk (x_n − μ_k)(x_n − μ_k)ᵀ, centered on μ_k exactly, summed over row chunks.
    const meansCol = tf.expandDims(m.means, 1); // [K, 1, D]
    const n = x.shape[0];
    const rows = rowsPerChunk(k, d);
    let s: tf.Tensor = tf.zeros([k, d, d]);
    for (let start = 0; start < n; start += rows) {
      const size = Math.min(rows, n - start);
      const diff = tf.sub(tf.expandDims(tf.slice(x, [start, 0], [size, d]), 0), meansCol) as tf.Tensor3D; // [K, rows, D]
      const weighted = tf.mul(diff, tf.expandDims(tf.slice(m.rT, [0, start], [k, size]), 2));
      s = tf.add(s, tf.matMul(tf.transpose(weighted, [0, 2, 1]), diff));
    }
    return [m.logWeights, m.means, s, m.counts];
  });
  try {
    const s = scatter.dataSync();
    const nk = counts.dataSync();
    const covariances = new Float64Array(k * d * d);
    for (let c = 0; c < k; c++) {
      const o = c * d * d;
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          // Symmetrize: the two float32 halves of S_k differ by rounding.
          covariances[o + i * d + j] =
            (s[o + i * d + j] + s[o + j * d + i]) / (2 * nk[c]) + (i === j ? regularization : 0);
        }
      }
    }
    params.setFull(logWeights, means, covariances);
  } finally {
    tf.dispose([logWeights, means, scatter, counts]);
  }
}
