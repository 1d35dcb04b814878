/**
 * Maximum-likelihood PPCA in closed form (Tipping & Bishop 1999, §3.2, eqs. 7–8): with the sample
 * covariance S = (1/N) Σ_n (x_n − x̄)(x_n − x̄)ᵀ, its eigenvalues λ_1 ≥ … ≥ λ_D and eigenvectors U,
 *
 *   μ = x̄,   σ² = (1/(D − q)) Σ_{j>q} λ_j,   W = U_q (Λ_q − σ²I)^{½} R   (we take R = I)
 *
 * S is formed with one float32 tensor product and decomposed in float64 on the host (O(D³), about two
 * seconds for D = 784). The float32 S is only accurate to about 10⁻⁷·λ_1, which is plenty for the
 * leading eigenvectors but not for the small discarded eigenvalues when the noise is far below the
 * signal. So the eigenvalues are re-measured on the data itself: λ_j = (1/N) Σ_n (u_jᵀx̃_n)² for j ≤ q, and
 * Σ_{j>q} λ_j = (1/N) Σ_n ‖x̃_n − U_qU_qᵀx̃_n‖², the residual after projecting onto the leading subspace —
 * sums of squares that float32 evaluates without cancellation.
 */
import { symmetricEigen } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { takeMean } from '../common/events.js';
import type { PpcaParameters } from './parameters.js';

export function fitClosedForm(params: PpcaParameters, x: tf.Tensor2D, minVariance: number): void {
  const [n, d] = x.shape;
  const q = params.latentDim;
  const [mean, centered, covariance] = tf.tidy(() => {
    const mu = tf.mean(x, 0);
    const xc = tf.sub(x, mu) as tf.Tensor2D;
    return [mu, xc, tf.div(tf.matMul(tf.transpose(xc), xc), n)];
  });
  try {
    const { vectors } = symmetricEigen(symmetrized(covariance.dataSync(), d), d);
    const leading = new Float32Array(d * q); // U_q, [D, q]
    for (let j = 0; j < q; j++) for (let i = 0; i < d; i++) leading[i * q + j] = vectors[j * d + i];
    const [projectedSquares, residualSquares] = tf.tidy(() => {
      const u = tf.tensor2d(leading, [d, q]);
      const projected = tf.matMul(centered, u); // [N, q]
      const residual = tf.sub(centered, tf.matMul(projected, tf.transpose(u)));
      return [tf.sum(tf.square(projected), 0), tf.sum(tf.square(residual), 1)];
    });
    const leadingValues = Array.from(projectedSquares.dataSync() as Float32Array, (s) => s / n);
    projectedSquares.dispose();
    const sigma2 = Math.max(takeMean(residualSquares) / (d - q), minVariance);
    const w = new Float32Array(d * q);
    for (let j = 0; j < q; j++) {
      const scale = Math.sqrt(Math.max(leadingValues[j] - sigma2, 0));
      for (let i = 0; i < d; i++) w[i * q + j] = leading[i * q + j] * scale;
    }
    params.assign(mean, w, sigma2);
  } finally {
    tf.dispose([mean, centered, covariance]);
  }
}

/** S as float64 with its two float32 halves averaged, so the symmetric solver sees a symmetric matrix. */
function symmetrized(values: ArrayLike<number>, d: number): Float64Array {
  const s = Float64Array.from(values);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (s[i * d + j] + s[j * d + i]);
      s[i * d + j] = v;
      s[j * d + i] = v;
    }
  }
  return s;
}
