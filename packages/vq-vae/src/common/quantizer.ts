/**
 * The vector quantizer of a VQ-VAE (van den Oord, Vinyals & Kavukcuoglu 2017, §3.1 and App. A.1): a
 * codebook of K vectors e_k ∈ ℝ^D, and for every encoder output z_e(x) at one position its nearest code
 *
 *   k(x) = argmin_k ‖z_e(x) − e_k‖²,      z_q(x) = e_{k(x)}.
 *
 * The lookup is a product onehot(k) · E, which has a gradient with respect to E on every backend (no
 * gather gradient needed). The decoder reads z_q through the straight-through estimator
 *
 *   z_q = z_e + sg[e_k − z_e]             (value e_k, gradient ∂/∂z_q copied to z_e),
 *
 * and the two quantization terms of the loss are
 *
 *   codebook   ‖sg[z_e] − e_k‖²          (moves the codes; only when the codebook learns by the loss)
 *   commitment ‖z_e − sg[e_k]‖²          (weighted by β: keeps the encoder near its codes).
 *
 * With `update: 'ema'` the codebook is not trained by gradients but by exponential moving averages of
 * the encoder outputs assigned to each code (App. A.1), with n_k the number of outputs assigned to k in
 * the batch and γ the decay:
 *
 *   N_k ← γ N_k + (1 − γ) n_k
 *   m_k ← γ m_k + (1 − γ) Σ_{i: k(i) = k} z_e,i
 *   e_k ← m_k / Ñ_k,    Ñ_k = (N_k + ε) / (n + K ε) · n,  n = Σ_k N_k    (Laplace smoothing)
 *
 * N and m are non-trainable variables, so checkpoints hold them. The model's objective applies the step
 * with the batch's encoder outputs (before the optimizer updates the encoder), after taking its losses.
 *
 * Dead-code restarts (an option): every `every` steps, codes assigned fewer than `threshold` times since
 * the last check are re-seeded from encoder outputs of the current batch (chosen at random, distinct).
 */
import {
  deriveSeed,
  initializers,
  type ParameterStore,
  type StepContext,
  withoutGradient,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export interface QuantizerOptions {
  /** K, the number of codes. */
  codebookSize: number;
  /** D, the dimension of a code. */
  codeDim: number;
  /** `loss`: the codebook term trains E by gradients; `ema`: moving averages (then E is not trainable). */
  update: 'loss' | 'ema';
  /** γ of the moving averages. */
  decay: number;
  /** ε of the Laplace smoothing of the cluster sizes. */
  epsilon: number;
}

/** Dead-code restarts: every `every` steps, codes assigned fewer than `threshold` times are re-seeded. */
export interface DeadCodeRestartOptions {
  enabled: boolean;
  threshold: number;
  every: number;
}

export interface Quantized {
  /** Code indices, int32, of z_e's shape without its last axis. */
  indices: tf.Tensor;
  /** e_k at every position (value of z_q, gradient to the codebook), z_e's shape. */
  codes: tf.Tensor;
  /** Straight-through z_q = z_e + sg[e_k − z_e], z_e's shape. */
  zq: tf.Tensor;
  /** ‖sg[z_e] − e_k‖² summed over an example's positions and dimensions, [B]. */
  codebookLoss: tf.Tensor1D;
  /** ‖z_e − sg[e_k]‖² summed over an example's positions and dimensions, [B]. */
  commitmentLoss: tf.Tensor1D;
  /** n_k: outputs assigned to each code, float32 [K]. */
  counts: tf.Tensor1D;
  /** exp(−Σ_k p_k log p_k) of the batch's code frequencies p_k = n_k / Σ n: 1 … K. */
  perplexity: tf.Scalar;
  /** Codes used at least once in the batch. */
  codesUsed: tf.Scalar;
}

/** sg[t]: the value of t, through which no gradient flows. */
export function stopGradient<T extends tf.Tensor>(t: T): T {
  return withoutGradient([t], () => t.clone());
}

export class VectorQuantizer {
  /** E, [K, D]; trainable only when the codebook learns by the loss. */
  readonly codebook: tf.Variable;
  /** N_k, the moving-average cluster sizes [K] (EMA only). */
  readonly clusterSize?: tf.Variable;
  /** m_k, the moving-average sums of assigned outputs [K, D] (EMA only). */
  readonly clusterSum?: tf.Variable;
  /** Assignments per code since the last dead-code check [K] (training only). */
  readonly usage: tf.Variable;
  private readonly size: number;
  private readonly dim: number;

  constructor(
    store: ParameterStore,
    key: string,
    readonly options: QuantizerOptions,
  ) {
    const { codebookSize: k, codeDim: d } = options;
    this.size = k;
    this.dim = d;
    const ema = options.update === 'ema';
    // The paper's Sonnet code: uniform in ±√(3/K) (a unit-variance-scaling init of a [D, K] matrix).
    const limit = Math.sqrt(3 / k);
    this.codebook = store.create(`${key}/codebook`, [k, d], initializers.uniform(-limit, limit), !ema);
    if (ema) {
      // N_k = 1 and m_k = e_k: e = m / N starts at the codebook, and an unused code stays where it is.
      this.clusterSize = store.create(`${key}/clusterSize`, [k], initializers.ones(), false);
      this.clusterSum = store.create(`${key}/clusterSum`, [k, d], () => this.codebook.clone(), false);
    }
    this.usage = store.create(`${key}/usage`, [k], initializers.zeros(), false);
  }

  /** The index of the nearest code of every row of z [N, D], int32 [N] (no gradient). */
  nearest(z: tf.Tensor2D): tf.Tensor1D {
    return withoutGradient([z], () =>
      tf.tidy(() => {
        // ‖z − e‖² = ‖z‖² − 2 z·e + ‖e‖²; ‖z‖² is the same for every code and drops out of the argmin.
        const cross = tf.matMul(z, this.codebook as tf.Tensor2D, false, true);
        const norms = tf.sum(tf.square(this.codebook), 1);
        return tf.argMin(tf.sub(norms, tf.mul(2, cross)), 1) as tf.Tensor1D;
      }),
    );
  }

  /** e_k for integer indices of any shape: onehot(k) · E, of shape [...indices.shape, D]. */
  lookup(indices: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(tf.cast(indices, 'int32'), [-1]) as tf.Tensor1D;
      const onehot = tf.oneHot(flat, this.size);
      return tf.reshape(tf.matMul(onehot, this.codebook as tf.Tensor2D), [...indices.shape, this.dim]);
    });
  }

  /** Quantizes z_e [B, ..., D]; see the module doc. The caller owns every returned tensor. */
  quantize(ze: tf.Tensor): Quantized {
    const batch = ze.shape[0];
    const spatial = ze.shape.slice(0, -1);
    const flat = tf.reshape(ze, [-1, this.dim]) as tf.Tensor2D;
    const flatIndices = this.nearest(flat);
    const onehot = tf.oneHot(flatIndices, this.size);
    const codes = tf.reshape(tf.matMul(onehot, this.codebook as tf.Tensor2D), ze.shape);
    const zq = tf.add(ze, stopGradient(tf.sub(codes, ze)));
    const perExample = (t: tf.Tensor) => tf.sum(tf.reshape(tf.square(t), [batch, -1]), 1) as tf.Tensor1D;
    const codebookLoss = perExample(tf.sub(stopGradient(ze), codes));
    const commitmentLoss = perExample(tf.sub(ze, stopGradient(codes)));
    const counts = stopGradient(tf.sum(onehot, 0) as tf.Tensor1D);
    const { perplexity, codesUsed } = codeStatistics(counts);
    return {
      indices: tf.reshape(flatIndices, spatial),
      codes,
      zq,
      codebookLoss,
      commitmentLoss,
      counts,
      perplexity,
      codesUsed,
    };
  }

  /**
   * One EMA step (see the module doc) from the batch statistics n_k (counts [K]) and Σ z_e per code
   * (sums [K, D]).
   */
  emaUpdate(counts: tf.Tensor1D, sums: tf.Tensor2D): void {
    const { clusterSize, clusterSum } = this;
    if (!clusterSize || !clusterSum) throw new Error('emaUpdate needs a quantizer with update: "ema"');
    const { decay, epsilon } = this.options;
    tf.tidy(() => {
      const size = tf.add(tf.mul(decay, clusterSize), tf.mul(1 - decay, counts));
      const sum = tf.add(tf.mul(decay, clusterSum), tf.mul(1 - decay, sums));
      const n = tf.sum(size);
      const smoothed = tf.mul(tf.div(tf.add(size, epsilon), tf.add(n, this.size * epsilon)), n);
      clusterSize.assign(size);
      clusterSum.assign(sum);
      this.codebook.assign(tf.div(sum, tf.expandDims(smoothed, 1)));
    });
  }

  /** Σ_{i: k(i) = k} z_e,i: the sum of the rows of z [N, D] assigned to each code, [K, D]. */
  assignedSums(z: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(tf.oneHot(indices, this.size), z, true, false));
  }

  /**
   * The codebook's own updates from a training batch, after the loss terms are taken: the EMA step (with
   * `update: 'ema'`), the usage counts, and a due dead-code restart. They change non-trainable variables
   * only, as batch norm's running statistics do, so the Trainer puts them back after objectives it runs
   * outside training (validation). Returns the number of codes re-seeded when a restart ran.
   */
  trainingUpdate(
    ze: tf.Tensor,
    quantized: Quantized,
    deadCodeRestart: DeadCodeRestartOptions,
    context: StepContext,
  ): number | undefined {
    const ema = this.options.update === 'ema';
    const restartNow = deadCodeRestart.enabled && (context.step + 1) % deadCodeRestart.every === 0;
    if (!ema && !deadCodeRestart.enabled) return undefined;
    return tf.tidy(() => {
      const z = stopGradient(tf.reshape(ze, [-1, this.dim]) as tf.Tensor2D);
      const indices = tf.reshape(quantized.indices, [-1]) as tf.Tensor1D;
      const counts = stopGradient(quantized.counts);
      if (ema) this.emaUpdate(counts, this.assignedSums(z, indices));
      if (!deadCodeRestart.enabled) return undefined;
      this.recordUsage(counts);
      return restartNow ? this.restartDeadCodes(z, deadCodeRestart.threshold, context.nextSeed()) : undefined;
    });
  }

  /**
   * The average code, [D]: weighted by the moving-average cluster sizes N_k (how often each code is
   * assigned in training) with EMA updates, the plain mean of the codebook otherwise.
   */
  meanCode(): tf.Tensor1D {
    return tf.tidy(() => {
      if (!this.clusterSize) return tf.mean(this.codebook, 0) as tf.Tensor1D;
      const weights = tf.div(this.clusterSize, tf.sum(this.clusterSize));
      return tf.sum(tf.mul(tf.expandDims(weights, 1), this.codebook), 0) as tf.Tensor1D;
    });
  }

  /** Adds a batch's assignment counts to the usage since the last dead-code check. */
  recordUsage(counts: tf.Tensor1D): void {
    tf.tidy(() => this.usage.assign(tf.add(this.usage, counts)));
  }

  /**
   * Re-seeds every code used fewer than `threshold` times since the last check with a distinct encoder
   * output of z [N, D] drawn with `seed`, resets the usage counts, and returns how many codes it re-seeded.
   * Re-seeded codes restart their moving averages at N_k = 1, m_k = e_k.
   */
  restartDeadCodes(z: tf.Tensor2D, threshold: number, seed: number): number {
    const restarted = tf.tidy(() => {
      const dead = tf.less(this.usage, threshold);
      const candidates = this.pick(z, seed);
      const deadRows = tf.expandDims(dead, 1);
      this.codebook.assign(tf.where(deadRows, candidates, this.codebook as tf.Tensor2D));
      if (this.clusterSize && this.clusterSum) {
        this.clusterSum.assign(tf.where(deadRows, candidates, this.clusterSum as tf.Tensor2D));
        this.clusterSize.assign(tf.where(dead, tf.onesLike(this.clusterSize), this.clusterSize));
      }
      this.usage.assign(tf.zerosLike(this.usage));
      return tf.sum(tf.cast(dead, 'int32'));
    });
    const count = restarted.dataSync()[0];
    restarted.dispose();
    return count;
  }

  /**
   * Sets the codebook to K distinct rows of z [N, D] drawn with `seed` (data-dependent initialization),
   * and the moving averages to N_k = 1, m_k = e_k.
   */
  initializeFrom(z: tf.Tensor2D, seed: number): void {
    tf.tidy(() => {
      const rows = this.pick(z, seed);
      this.codebook.assign(rows);
      this.clusterSum?.assign(rows);
      this.clusterSize?.assign(tf.onesLike(this.clusterSize));
    });
  }

  /** K rows of z [N, D] chosen at random: distinct when N ≥ K (the top K of uniform keys), else with repeats. */
  private pick(z: tf.Tensor2D, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = z.shape[0];
      const index =
        rows >= this.size
          ? tf.topk(tf.randomUniform([rows], 0, 1, 'float32', seed), this.size).indices
          : tf.randomUniform([this.size], 0, rows, 'int32', deriveSeed(seed, 'repeat'));
      return tf.gather(z, index) as tf.Tensor2D;
    });
  }
}

/** Perplexity exp(H(p)) and the number of codes used, of assignment counts [K]. */
export function codeStatistics(counts: tf.Tensor1D): { perplexity: tf.Scalar; codesUsed: tf.Scalar } {
  return tf.tidy(() => {
    const p = tf.div(counts, tf.maximum(tf.sum(counts), 1));
    const entropy = tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-10)))));
    return {
      perplexity: tf.exp(entropy) as tf.Scalar,
      codesUsed: tf.sum(tf.cast(tf.greater(counts, 0), 'float32')) as tf.Scalar,
    };
  });
}
