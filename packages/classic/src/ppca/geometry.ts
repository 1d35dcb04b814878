/**
 * The q×q quantities through which PPCA touches its D×D covariance C = WWᵀ + σ²I without forming it
 * (Tipping & Bishop 1999, §3 and App. A):
 *
 *   M   = WᵀW + σ²I                                    (q×q)
 *   C⁻¹ = σ⁻²(I − W M⁻¹ Wᵀ)                            (Woodbury identity)
 *   |C| = σ^{2(D−q)} |M|                                (matrix determinant lemma)
 *
 * M is assembled from the float32 WᵀW, then factored and inverted in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cholesky, inverseFromCholesky, logDetFromCholesky } from '../common/linalg/cholesky.js';

export interface LatentGeometry {
  sigma2: number;
  /** log|M|. */
  logDetM: number;
  /** M⁻¹, q×q row-major float64. */
  mInverse: Float64Array;
}

export function latentGeometry(weights: tf.Tensor2D, logVariance: tf.Tensor): LatentGeometry {
  const q = weights.shape[1];
  const sigma2 = Math.exp(logVariance.dataSync()[0]);
  const gram = tf.tidy(() => tf.matMul(tf.transpose(weights), weights));
  const m = Float64Array.from(gram.dataSync());
  gram.dispose();
  for (let i = 0; i < q; i++) m[i * q + i] += sigma2;
  const l = cholesky(m, q, 'PPCA matrix M = WᵀW + σ²I');
  return { sigma2, logDetM: logDetFromCholesky(l, q), mInverse: inverseFromCholesky(l, q) };
}
