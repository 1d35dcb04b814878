/**
 * The state of a Gaussian mixture p(x) = Σ_k π_k N(x; μ_k, Σ_k), as variables in a ParameterStore:
 *
 * - `logits` [K]: π = softmax(logits); EM stores log π_k itself, which is a valid logit vector.
 * - `means` [K, D]: μ_k.
 * - diagonal covariance, `logVariances` [K, D]: Σ_k = diag(exp(logVariances_k)).
 * - full covariance, `precisionCholesky` [K, D, D]: the upper-triangular P_k with Σ_k⁻¹ = P_k P_kᵀ
 *   (scikit-learn's `precisions_cholesky_`; P_k = L_k⁻ᵀ for Σ_k = L_k L_kᵀ), stored unconstrained: the
 *   strict upper triangle holds P_k's entries and the diagonal holds log P_k,ii (so P_k,ii > 0 for any
 *   value); the lower triangle is unused and stays 0.
 *
 * The precision factor makes the density a matrix product with no solve, (x − μ)ᵀΣ⁻¹(x − μ) =
 * ‖(x − μ)ᵀP‖², with log|Σ|^{−½} = Σ_i log P_ii, so the same parameterization serves EM (which writes
 * it from a float64 Cholesky) and gradient training (which differentiates through it).
 */
import { GenzooError, initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { cholesky, invertLower, transpose } from '../common/linalg/cholesky.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Elements per intermediate [K, rows, D] tensor of the full-covariance computations (64 MiB of float32). */
const CHUNK_ELEMENTS = 2 ** 24;

/** Rows of data per chunk so that a [K, rows, D] intermediate stays within CHUNK_ELEMENTS. */
export function rowsPerChunk(components: number, dims: number): number {
  return Math.max(1, Math.floor(CHUNK_ELEMENTS / (components * dims)));
}

export type CovarianceType = 'full' | 'diagonal';

export class MixtureParameters {
  readonly logits: tf.Variable;
  readonly means: tf.Variable;
  readonly logVariances?: tf.Variable;
  readonly precisionCholesky?: tf.Variable;
  /** Constant masks for building P from its unconstrained storage (full covariance only). */
  private readonly eye?: tf.Tensor2D;
  private readonly strictUpper?: tf.Tensor2D;

  constructor(
    store: ParameterStore,
    readonly components: number,
    readonly dims: number,
    readonly covariance: CovarianceType,
    trainable: boolean,
  ) {
    const k = components;
    const d = dims;
    this.logits = store.create('logits', [k], initializers.zeros(), trainable);
    // Replaced by the data-dependent k-means initialization before training; a seeded spread otherwise.
    this.means = store.create('means', [k, d], initializers.normal(1), trainable);
    if (covariance === 'diagonal') {
      this.logVariances = store.create('logVariances', [k, d], initializers.zeros(), trainable);
    } else {
      this.precisionCholesky = store.create('precisionCholesky', [k, d, d], initializers.zeros(), trainable);
      this.eye = tf.eye(d);
      const mask = new Float32Array(d * d);
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) mask[i * d + j] = 1;
      this.strictUpper = tf.tensor2d(mask, [d, d]);
    }
  }

  /** log π_k, [K]. */
  logWeights(): tf.Tensor1D {
    return tf.logSoftmax(this.logits) as tf.Tensor1D;
  }

  /** log N(x_n; μ_k, Σ_k) for x [N, D], as [N, K]. */
  componentLogDensities(x: tf.Tensor2D): tf.Tensor2D {
    return this.covariance === 'diagonal' ? this.diagonalLogDensities(x) : this.fullLogDensities(x);
  }

  /** P_k [K, D, D] from its unconstrained storage (full covariance). */
  precisionFactor(): tf.Tensor3D {
    return tf.tidy(() => {
      const raw = this.precisionCholesky as tf.Tensor3D;
      // exp of the diagonal only: exp of an off-diagonal entry could overflow and 0·Inf is NaN.
      const diagonal = tf.expandDims(tf.exp(this.rawDiagonal()), 1); // [K, 1, D]
      return tf.add(
        tf.mul(raw, this.strictUpper as tf.Tensor2D),
        tf.mul(this.eye as tf.Tensor2D, diagonal),
      ) as tf.Tensor3D;
    });
  }

  /** log P_k,ii [K, D] (full covariance): the stored diagonal. */
  rawDiagonal(): tf.Tensor2D {
    return tf.tidy(
      () => tf.sum(tf.mul(this.precisionCholesky as tf.Tensor3D, this.eye as tf.Tensor2D), -1) as tf.Tensor2D,
    );
  }

  /** Writes a diagonal mixture: log π [K], μ [K, D], variances [K, D] (regularization already added). */
  setDiagonal(logWeights: tf.Tensor, means: tf.Tensor, variances: tf.Tensor): void {
    tf.tidy(() => {
      this.logits.assign(logWeights);
      this.means.assign(means);
      (this.logVariances as tf.Variable).assign(tf.log(variances));
    });
  }

  /**
   * Writes a full-covariance mixture from float64 covariances (K×D×D row-major, regularization already
   * added): P_k = L_k⁻ᵀ from the Cholesky factor L_k of Σ_k, stored as described in the module doc.
   */
  setFull(logWeights: tf.Tensor, means: tf.Tensor, covariances: Float64Array): void {
    const { components: k, dims: d } = this;
    const raw = new Float32Array(k * d * d);
    for (let c = 0; c < k; c++) {
      const sigma = covariances.subarray(c * d * d, (c + 1) * d * d);
      const l = cholesky(sigma, d, `covariance of mixture component ${c}`);
      const p = transpose(invertLower(l, d), d, d); // upper triangular
      for (let i = 0; i < d; i++) {
        raw[c * d * d + i * d + i] = Math.log(p[i * d + i]);
        for (let j = i + 1; j < d; j++) raw[c * d * d + i * d + j] = p[i * d + j];
      }
    }
    tf.tidy(() => {
      this.logits.assign(logWeights);
      this.means.assign(means);
      (this.precisionCholesky as tf.Variable).assign(tf.tensor3d(raw, [k, d, d]));
    });
  }

  /**
   * The covariance Cholesky factors L_k = P_k⁻ᵀ (K×D×D row-major, lower triangular), computed in
   * float64 for sampling x = μ_k + L_k ε.
   */
  covarianceFactors(): Float64Array {
    const { components: k, dims: d } = this;
    const factor = this.precisionFactor();
    const p = Float64Array.from(factor.dataSync());
    factor.dispose();
    const factors = new Float64Array(k * d * d);
    for (let c = 0; c < k; c++) {
      const pc = p.subarray(c * d * d, (c + 1) * d * d);
      for (let i = 0; i < d; i++) {
        if (!(pc[i * d + i] > 0) || !Number.isFinite(pc[i * d + i])) {
          throw new GenzooError(
            `mixture component ${c} has a degenerate precision factor (P_${i}${i} = ${pc[i * d + i]})`,
          );
        }
      }
      factors.set(invertLower(transpose(pc, d, d), d), c * d * d);
    }
    return factors;
  }

  /**
   * Projects the parameters back onto variances ≥ `floor` after a gradient step. Diagonal: σ²_kd ≥ floor.
   * Full: L_k,ii² ≥ floor, i.e. log P_k,ii ≤ −½ log floor; L_k,ii² is the variance of x_i given
   * x_1..x_{i−1} under component k, so this bounds every conditional variance and |Σ_k| ≥ floor^D, which
   * is what keeps a component from collapsing onto a point or a subspace.
   */
  floorVariances(floor: number): void {
    if (!(floor > 0)) return;
    tf.tidy(() => {
      if (this.logVariances) {
        this.logVariances.assign(tf.maximum(this.logVariances, Math.log(floor)));
      } else {
        const raw = this.precisionCholesky as tf.Variable;
        const excess = tf.relu(tf.sub(raw, -0.5 * Math.log(floor)));
        raw.assign(tf.sub(raw, tf.mul(excess, this.eye as tf.Tensor2D)));
      }
    });
  }

  dispose(): void {
    this.eye?.dispose();
    this.strictUpper?.dispose();
  }

  /**
   * Σ_d (x_d − μ_kd)²/σ²_kd expanded as x²·w − 2x·(μw) + μ²·w (w = 1/σ²) so that the N×K×D work is two
   * matrix products. Data and means are first shifted by the mean of the means, which keeps the three
   * terms small where a dimension is nearly constant (image borders), so float32 cancellation between
   * them stays far below the quadratic form itself.
   */
  private diagonalLogDensities(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const logVar = this.logVariances as tf.Tensor2D;
      const precision = tf.exp(tf.neg(logVar)); // [K, D]
      const shift = tf.mean(this.means, 0); // [D]
      const y = tf.sub(x, shift);
      const nu = tf.sub(this.means, shift); // [K, D]
      const quadratic = tf.matMul(tf.square(y), tf.transpose(precision));
      const cross = tf.matMul(y, tf.transpose(tf.mul(nu, precision)));
      const constant = tf.sum(tf.mul(tf.square(nu), precision), 1); // [K]
      // The form is ≥ 0; rounding can leave it slightly negative.
      const mahalanobis = tf.relu(tf.add(tf.sub(quadratic, tf.mul(2, cross)), constant));
      const logNorm = tf.add(tf.mul(0.5, tf.sum(logVar, 1)), this.dims * HALF_LOG_2PI); // [K]
      return tf.sub(tf.mul(-0.5, mahalanobis), logNorm) as tf.Tensor2D;
    });
  }

  /** ‖(x − μ_k)ᵀP_k‖² by batched products over components, in row chunks to bound memory. */
  private fullLogDensities(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { components: k, dims: d } = this;
      const p = this.precisionFactor();
      const logNorm = tf.sub(tf.sum(this.rawDiagonal(), 1), d * HALF_LOG_2PI); // [K]: Σ log P_ii − D/2 log 2π
      const meansCol = tf.expandDims(this.means, 1); // [K, 1, D]
      const n = x.shape[0];
      const rows = rowsPerChunk(k, d);
      const parts: tf.Tensor2D[] = [];
      for (let start = 0; start < n; start += rows) {
        const size = Math.min(rows, n - start);
        const chunk = size === n ? x : tf.slice(x, [start, 0], [size, d]);
        const diff = tf.sub(tf.expandDims(chunk, 0), meansCol) as tf.Tensor3D; // [K, rows, D]
        const mahalanobis = tf.sum(tf.square(tf.matMul(diff, p)), 2); // [K, rows]
        parts.push(tf.transpose(tf.add(tf.mul(-0.5, mahalanobis), tf.expandDims(logNorm, 1))) as tf.Tensor2D);
      }
      return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    });
  }
}
