/**
 * EM for PPCA (Tipping & Bishop 1999, §3.2 and App. B; Roweis 1998; Bishop, PRML §12.2.2), in data
 * space so that each iteration costs O(NDq) instead of forming the D×D covariance. With centered data
 * x̃_n = x_n − x̄ and M = WᵀW + σ²I:
 *
 *   E-step:  E[z_n] = M⁻¹Wᵀx̃_n,   Σ_n E[z_n z_nᵀ] = Nσ²M⁻¹ + Σ_n E[z_n]E[z_n]ᵀ =: B
 *   M-step:  W' = A B⁻¹ with A = Σ_n x̃_n E[z_n]ᵀ
 *            σ'² = (1/(ND)) Σ_n {‖x̃_n‖² − 2E[z_n]ᵀW'ᵀx̃_n + tr(E[z_n z_nᵀ]W'ᵀW')}
 *                = (1/(ND)) [Σ_n ‖x̃_n − W'E[z_n]‖² + Nσ² tr(M⁻¹W'ᵀW')]
 *
 * The second form of σ'² is a sum of non-negative terms; the first (the textbook one) subtracts
 * nearly equal float32 sums when the model explains most of the variance, and on 60,000 images that
 * cancellation alone can drive σ² to zero. The N-dependent sums are tensor products; the q×q algebra
 * is float64 on the host. The log-likelihood never decreases, and the fixed points are the
 * maximum-likelihood solutions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { takeMean } from '../common/events.js';
import { cholesky, inverseFromCholesky, matMul, transpose } from '../common/linalg/cholesky.js';
import { latentGeometry } from './geometry.js';
import type { PpcaParameters } from './parameters.js';

/**
 * One EM iteration on x [N, D]; μ becomes the batch mean (its maximum-likelihood value). Returns the
 * batch's mean log-likelihood with that μ and the W, σ² the iteration started from.
 */
export function emIteration(params: PpcaParameters, x: tf.Tensor2D, minVariance: number): number {
  const [n, d] = x.shape;
  const q = params.latentDim;
  const geometry = latentGeometry(params.weights as tf.Tensor2D, params.logVariance);
  const { sigma2, mInverse } = geometry;
  const [mean, centered, latentMean, crossMoment, latentMoment, logLikelihoods] = tf.tidy(() => {
    const mu = tf.mean(x, 0);
    const xc = tf.sub(x, mu) as tf.Tensor2D;
    const ez = params.posteriorMean(xc, geometry); // E[z], [N, q]
    return [
      mu,
      xc,
      ez,
      tf.matMul(tf.transpose(xc), ez), // A, [D, q]
      tf.matMul(tf.transpose(ez), ez), // Σ E[z]E[z]ᵀ, [q, q]
      params.logDensity(xc, ez, geometry),
    ];
  });
  try {
    const meanLogLikelihood = takeMean(logLikelihoods);
    const b = Float64Array.from(latentMoment.dataSync());
    for (let i = 0; i < q * q; i++) b[i] += n * sigma2 * mInverse[i];
    const a = Float64Array.from(crossMoment.dataSync());
    const newWeights = Float32Array.from(
      matMul(a, inverseFromCholesky(cholesky(b, q, 'PPCA EM matrix B'), q), d, q, q),
    );
    const gram = matMul(
      transpose(Float64Array.from(newWeights), d, q),
      Float64Array.from(newWeights),
      q,
      d,
      q,
    );
    let trace = 0; // tr(M⁻¹W'ᵀW'), both symmetric
    for (let i = 0; i < q * q; i++) trace += mInverse[i] * gram[i];
    const residualSquares = tf.tidy(() => {
      const reconstruction = tf.matMul(latentMean, tf.transpose(tf.tensor2d(newWeights, [d, q])));
      return tf.sum(tf.square(tf.sub(centered, reconstruction)), 1);
    });
    const newSigma2 = Math.max((n * takeMean(residualSquares) + n * sigma2 * trace) / (n * d), minVariance);
    params.assign(mean, newWeights, newSigma2);
    return meanLogLikelihood;
  } finally {
    tf.dispose([mean, centered, latentMean, crossMoment, latentMoment]);
  }
}
