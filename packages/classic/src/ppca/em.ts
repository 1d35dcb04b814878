/**
 * EM for PPCA (Tipping & Bishop 1999, §3.2 and App. B; Roweis 1998; Bishop, PRML §12.2.2), in data
 * space so that each iteration costs O(NDq) instead of forming the D×D covariance. With centered data
 * x̃_n = x_n − x̄ and M = WᵀW + σ²I:
 *
 *   E-step:  E[z_n] = M⁻¹Wᵀx̃_n,   Σ_n E[z_n z_nᵀ] = Nσ²M⁻¹ + Σ_n E[z_n]E[z_n]ᵀ =: B
 *   M-step:  W' = A B⁻¹ with A = Σ_n x̃_n E[z_n]ᵀ
 *            σ'² = (1/(ND)) [Σ_n ‖x̃_n‖² − 2 tr(W'ᵀA) + tr(B W'ᵀW')]
 *
 * The N-dependent sums are tensor products; the q×q algebra is float64 on the host. Its fixed points
 * are the maximum-likelihood solutions, and the log-likelihood never decreases.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cholesky, inverseFromCholesky, matMul, transpose } from '../linalg/cholesky.js';
import { latentGeometry } from './geometry.js';
import type { PpcaParameters } from './parameters.js';

/**
 * One EM iteration on x [N, D]; μ becomes the batch mean (its maximum-likelihood value). Returns the
 * batch's mean log-likelihood with that μ and the W, σ² the iteration started from.
 */
export function emIteration(params: PpcaParameters, x: tf.Tensor2D, minVariance: number): number {
  const [n, d] = x.shape;
  const q = params.latentDim;
  const weights = params.weights as tf.Tensor2D;
  const geometry = latentGeometry(weights, params.logVariance);
  const { sigma2, mInverse } = geometry;
  const [mean, sumSquares, crossMoment, latentMoment, meanLogLikelihood] = tf.tidy(() => {
    const mu = tf.mean(x, 0);
    const centered = tf.sub(x, mu) as tf.Tensor2D;
    const latentMean = params.posteriorMean(centered, geometry); // E[z], [N, q]
    return [
      mu,
      tf.sum(tf.square(centered)),
      tf.matMul(tf.transpose(centered), latentMean), // A, [D, q]
      tf.matMul(tf.transpose(latentMean), latentMean), // Σ E[z]E[z]ᵀ, [q, q]
      tf.mean(params.logDensity(centered, latentMean, geometry)),
    ];
  });
  try {
    const a = Float64Array.from(crossMoment.dataSync());
    const b = Float64Array.from(latentMoment.dataSync());
    for (let i = 0; i < q * q; i++) b[i] += n * sigma2 * mInverse[i];
    const newWeights = matMul(a, inverseFromCholesky(cholesky(b, q, 'PPCA EM matrix B'), q), d, q, q);
    const gram = matMul(transpose(newWeights, d, q), newWeights, q, d, q);
    let traceWA = 0;
    for (let i = 0; i < d * q; i++) traceWA += newWeights[i] * a[i];
    let traceBG = 0;
    for (let i = 0; i < q * q; i++) traceBG += b[i] * gram[i]; // tr(B Gᵀ) = tr(B G) for symmetric G
    const newSigma2 = Math.max((sumSquares.dataSync()[0] - 2 * traceWA + traceBG) / (n * d), minVariance);
    params.assign(mean, Float32Array.from(newWeights), newSigma2);
    return meanLogLikelihood.dataSync()[0];
  } finally {
    tf.dispose([mean, sumSquares, crossMoment, latentMoment, meanLogLikelihood]);
  }
}
