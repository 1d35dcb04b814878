/**
 * Fréchet distance between Gaussians fitted to two feature sets. For N(μ₁, Σ₁) and N(μ₂, Σ₂) the Fréchet
 * (2-Wasserstein) distance is, in squared form (Dowson & Landau 1982),
 *
 *   FD = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}
 *
 * With the pool features of Inception-v3 on ImageNet this is the FID of Heusel et al. 2017 ("GANs Trained
 * by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium"). genzoo's features come from a
 * small classifier trained on each dataset, so its numbers are a classifier-FD: comparable between models
 * scored with the same classifier on the same dataset, NOT with the Inception FIDs that papers report.
 *
 * The trace term without forming square roots: with Σ₁ = VΛVᵀ, Σ₁^{1/2} Σ₂ Σ₁^{1/2} = V C Vᵀ where
 * C = Λ^{1/2} (Vᵀ Σ₂ V) Λ^{1/2} is symmetric PSD, so tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2} = Σ_j √λ_j(C).
 * Both matrices are PSD; eigenvalues that round-off makes slightly negative are clamped to 0. Everything
 * is float64 on the host: O(N d²) for the statistics, O(d³) for the distance. Two equal statistics give 0
 * up to round-off, which may leave a tiny negative number; it is not clamped.
 */
import { ShapeError, symmetricEigen } from '@genzoo/core';
import { checkFeatureSet, type FeatureSet } from './features.js';

/** Mean and unbiased covariance of a feature set, float64. */
export interface FeatureStatistics {
  /** [dim]. */
  mean: Float64Array;
  /** Row-major [dim, dim], divided by count − 1. */
  covariance: Float64Array;
  count: number;
  dim: number;
}

/** The mean and the unbiased (count − 1) covariance of the rows of `f`. */
export function featureStatistics(f: FeatureSet): FeatureStatistics {
  checkFeatureSet('featureStatistics', f);
  return unbiasedMoments(f);
}

/** featureStatistics of a set already checked. */
function unbiasedMoments(f: FeatureSet): FeatureStatistics {
  const { values, count, dim } = f;
  const mean = new Float64Array(dim);
  for (let n = 0; n < count; n++) for (let i = 0; i < dim; i++) mean[i] += values[n * dim + i];
  for (let i = 0; i < dim; i++) mean[i] /= count;
  // Centred before multiplying: Σ x xᵀ − N μμᵀ would cancel catastrophically when ‖μ‖ ≫ the spread.
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < dim; i++) centred[i] = values[n * dim + i] - mean[i];
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      for (let j = i; j < dim; j++) covariance[i * dim + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      covariance[i * dim + j] /= count - 1;
      covariance[j * dim + i] = covariance[i * dim + j];
    }
  }
  return { mean, covariance, count, dim };
}

/** FD between the Gaussians fitted to `a` and `b`: feature sets, or statistics from featureStatistics. */
export function frechetDistance(
  a: FeatureStatistics | FeatureSet,
  b: FeatureStatistics | FeatureSet,
): number {
  const s1 = statisticsOf('frechetDistance: first argument', a);
  const s2 = statisticsOf('frechetDistance: second argument', b);
  if (s1.dim !== s2.dim) {
    throw new ShapeError(`frechetDistance: dimensions differ (${s1.dim} and ${s2.dim})`);
  }
  const d = s1.dim;
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < d; i++) {
    meanTerm += (s1.mean[i] - s2.mean[i]) ** 2;
    traces += s1.covariance[i * d + i] + s2.covariance[i * d + i];
  }
  return meanTerm + traces - 2 * traceOfSqrtProduct(s1.covariance, s2.covariance, d);
}

/** tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2} as Σ √λ(C), C = Λ^{1/2} (Vᵀ Σ₂ V) Λ^{1/2} in Σ₁'s eigenbasis. */
function traceOfSqrtProduct(sigma1: Float64Array, sigma2: Float64Array, d: number): number {
  const { values, vectors } = symmetricEigen(sigma1, d); // row j of `vectors` is v_j
  const roots = values.map((lambda) => Math.sqrt(Math.max(lambda, 0)));
  // Row i of rotated is v_iᵀ Σ₂ (= (Σ₂ v_i)ᵀ, Σ₂ being symmetric).
  const rotated = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let l = 0; l < d; l++) {
      const vil = vectors[i * d + l];
      for (let k = 0; k < d; k++) rotated[i * d + k] += vil * sigma2[l * d + k];
    }
  }
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += rotated[i * d + k] * vectors[j * d + k];
      c[i * d + j] = c[j * d + i] = roots[i] * dot * roots[j];
    }
  }
  return symmetricEigen(c, d).values.reduce((sum, lambda) => sum + Math.sqrt(Math.max(lambda, 0)), 0);
}

/** Checked statistics of `x`, computed first when it is a feature set. */
function statisticsOf(what: string, x: FeatureStatistics | FeatureSet): FeatureStatistics {
  if (!('covariance' in x)) {
    checkFeatureSet(what, x);
    return unbiasedMoments(x);
  }
  if (x.mean.length !== x.dim || x.covariance.length !== x.dim * x.dim) {
    throw new ShapeError(
      `${what}: statistics of dim ${x.dim} with a mean of ${x.mean.length} and a covariance of ` +
        `${x.covariance.length} entries (expected ${x.dim} and ${x.dim * x.dim})`,
    );
  }
  if (!x.mean.every(Number.isFinite) || !x.covariance.every(Number.isFinite)) {
    throw new ShapeError(`${what}: statistics contain non-finite values`);
  }
  return x;
}
