/**
 * Maximum-likelihood PPCA in closed form (Tipping & Bishop 1999, §3.2, eqs. 7–8): with the sample
 * covariance S = (1/N) Σ_n (x_n − x̄)(x_n − x̄)ᵀ and its eigenvalues λ_1 ≥ … ≥ λ_D, eigenvectors U,
 *
 *   μ = x̄,   σ² = (1/(D − q)) Σ_{j>q} λ_j,   W = U_q (Λ_q − σ²I)^{½} R   (we take R = I)
 *
 * σ² is the variance "lost" in the discarded directions. S is formed with one tensor product; its
 * eigen-decomposition runs in float64 on the host (O(D³), about a second for D = 784).
 */
import * as tf from '@tensorflow/tfjs-core';
import { symmetricEigen } from '../linalg/eigen.js';
import type { PpcaParameters } from './parameters.js';

export function fitClosedForm(params: PpcaParameters, x: tf.Tensor2D, minVariance: number): void {
  const [n, d] = x.shape;
  const q = params.latentDim;
  const [mean, covariance] = tf.tidy(() => {
    const mu = tf.mean(x, 0);
    const centered = tf.sub(x, mu);
    return [mu, tf.div(tf.matMul(tf.transpose(centered), centered), n)];
  });
  try {
    const s = Float64Array.from(covariance.dataSync());
    // Symmetrize away float32 rounding so the symmetric solver sees a symmetric matrix.
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const v = 0.5 * (s[i * d + j] + s[j * d + i]);
        s[i * d + j] = v;
        s[j * d + i] = v;
      }
    }
    const { values, vectors } = symmetricEigen(s, d);
    let discarded = 0;
    for (let j = q; j < d; j++) discarded += Math.max(values[j], 0);
    const sigma2 = Math.max(discarded / (d - q), minVariance);
    const w = new Float32Array(d * q);
    for (let j = 0; j < q; j++) {
      const scale = Math.sqrt(Math.max(values[j] - sigma2, 0));
      for (let i = 0; i < d; i++) w[i * q + j] = vectors[j * d + i] * scale;
    }
    params.assign(mean, w, sigma2);
  } finally {
    tf.dispose([mean, covariance]);
  }
}
