/**
 * Kernel distance (KID, Bińkowski et al. 2018, "Demystifying MMD GANs", §4): the squared maximum mean
 * discrepancy between real and fake features under the cubic polynomial kernel
 *
 *   k(x, y) = (xᵀy/d + 1)³
 *
 * estimated, for m real features x and m fake features y, by the unbiased U-statistic
 *
 *   MMD²_u = Σ_{i≠j} k(x_i, x_j)/(m(m−1)) + Σ_{i≠j} k(y_i, y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i, y_j)/m²
 *
 * Unlike FD it has no bias: its expectation is 0 when the distributions are equal, for any m, so it may
 * come out negative, and values from different sample sizes are comparable. Both sets are shuffled
 * (seeded) and cut into `blocks` disjoint blocks of m = ⌊min(N_real, N_fake)/blocks⌋ features each (the
 * leftovers are unused); KID is the mean of the blocks' estimates. Disjoint blocks are independent, so
 * their sample standard deviation over √blocks is a true standard error of that mean — unlike the spread
 * over the overlapping random subsets that the paper's code reports. With one block there is no spread to
 * measure and stderr is NaN.
 *
 * As with FD, genzoo's features come from a small per-dataset classifier, not Inception, so these are
 * classifier-KIDs, not comparable with the KIDs in papers. Kernel matrices are float32 tf.matMul products
 * on the current backend, 512 rows at a time, summed along rows on the device and across rows in float64
 * on the host.
 */

import { ConfigError, Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkRealAndFake, type FeatureSet, forEachRowChunk } from './features.js';

export interface KernelDistanceOptions {
  /** Number of disjoint blocks (default 10). */
  blocks?: number;
  /** Seed of the shuffle that assigns features to blocks (default 0, so results are reproducible). */
  seed?: number;
}

export interface KernelDistance {
  /** Mean of the blocks' unbiased MMD² estimates. */
  kid: number;
  /** Standard error of `kid`: sample std over blocks / √blocks; NaN for a single block. */
  stderr: number;
  blocks: number;
  /** Real and fake features per block, m. */
  blockSize: number;
}

export function kernelDistance(
  real: FeatureSet,
  fake: FeatureSet,
  options: KernelDistanceOptions = {},
): KernelDistance {
  checkRealAndFake('kernelDistance', real, fake);
  const { blocks = 10, seed = 0 } = options;
  if (!Number.isInteger(blocks) || blocks < 1) {
    throw new ConfigError(`kernelDistance: blocks must be a positive integer, got ${blocks}`);
  }
  if (!Number.isInteger(seed)) throw new ConfigError(`kernelDistance: seed must be an integer, got ${seed}`);
  const fewest = Math.min(real.count, fake.count);
  const m = Math.floor(fewest / blocks);
  if (m < 2) {
    throw new ConfigError(
      `kernelDistance: ${blocks} blocks of min(${real.count} real, ${fake.count} fake) features leave ${m} ` +
        'per block, and the U-statistic needs at least 2: use fewer blocks or more features',
    );
  }
  const random = new Random(seed);
  const realOrder = random.permutation(real.count);
  const fakeOrder = random.permutation(fake.count);
  const estimates = Array.from({ length: blocks }, (_, b) =>
    tf.tidy(() =>
      unbiasedMmd2(
        gatherRows(real, realOrder.subarray(b * m, (b + 1) * m)),
        gatherRows(fake, fakeOrder.subarray(b * m, (b + 1) * m)),
      ),
    ),
  );
  const kid = estimates.reduce((sum, e) => sum + e, 0) / blocks;
  // For one block this is 0/0 = NaN: a single estimate says nothing about its spread.
  const variance = estimates.reduce((sum, e) => sum + (e - kid) ** 2, 0) / (blocks - 1);
  return { kid, stderr: Math.sqrt(variance / blocks), blocks, blockSize: m };
}

/** MMD²_u of two equally sized blocks. */
function unbiasedMmd2(x: tf.Tensor2D, y: tf.Tensor2D): number {
  const m = x.shape[0];
  const withinPairs = m * (m - 1);
  return (
    kernelSum(x, x, true) / withinPairs +
    kernelSum(y, y, true) / withinPairs -
    (2 * kernelSum(x, y, false)) / (m * m)
  );
}

/** Σ_{i,j} k(a_i, b_j), leaving out the diagonal i = j when `b` is `a` itself. */
function kernelSum(a: tf.Tensor2D, b: tf.Tensor2D, withoutDiagonal: boolean): number {
  const dim = a.shape[1];
  let sum = 0;
  forEachRowChunk(a, (rows) => {
    const rowSums = tf.tidy(() => {
      const sums = tf.sum(cubicKernel(tf.matMul(rows, b, false, true), dim), 1);
      return withoutDiagonal ? tf.sub(sums, cubicKernel(tf.sum(tf.square(rows), 1), dim)) : sums;
    });
    for (const s of rowSums.dataSync()) sum += s;
    rowSums.dispose();
  });
  return sum;
}

/** (dot/d + 1)³. */
function cubicKernel(dot: tf.Tensor, dim: number): tf.Tensor {
  const base = tf.add(tf.div(dot, dim), 1);
  return tf.mul(tf.square(base), base);
}

/** The rows `order` of `f`, as an [order.length, dim] tensor. */
function gatherRows(f: FeatureSet, order: Int32Array): tf.Tensor2D {
  const rows = new Float32Array(order.length * f.dim);
  order.forEach((row, i) => {
    rows.set(f.values.subarray(row * f.dim, (row + 1) * f.dim), i * f.dim);
  });
  return tf.tensor2d(rows, [order.length, f.dim]);
}
