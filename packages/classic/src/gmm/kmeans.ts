/**
 * k-means clustering for initializing a mixture: seeding by greedy k-means++ (Arthur & Vassilvitskii 2007) or
 * by k distinct random examples (Forgy), then Lloyd iterations (Lloyd 1982). Distances are computed with
 * tensor ops; the seeded choices are made on the host with the deterministic `Random`, so the same
 * seed and data give the same clustering on every backend.
 */
import { deriveSeed, Random, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { oneHotRows } from '../common/events.js';

export interface KMeansOptions {
  init: 'kmeans++' | 'random';
  /** Maximum Lloyd iterations; stops early when the assignment no longer changes. */
  iterations: number;
  /** Independent runs (seeding + Lloyd); the one with the lowest within-cluster sum of squares wins. Default 1. */
  restarts?: number;
  seed: number;
}

/**
 * Cluster labels of the rows of x [N, D] into k non-empty clusters, from the best of `restarts` runs by
 * within-cluster sum of squares. The labels are those the final centroids were computed from, so every
 * cluster has at least one member.
 */
export function kmeansLabels(x: tf.Tensor2D, k: number, options: KMeansOptions): Int32Array {
  const n = x.shape[0];
  if (n < k)
    throw new ShapeError(
      `k-means needs at least as many examples as clusters: got ${n} examples for ${k} clusters`,
    );
  const restarts = options.restarts ?? 1;
  let best: { labels: Int32Array; inertia: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(x, k, options, restarts === 1 ? options.seed : deriveSeed(options.seed, 'restart', r));
    if (!best || run.inertia < best.inertia) best = run;
  }
  return (best as { labels: Int32Array }).labels;
}

/** One k-means run: seeding, then Lloyd iterations until the assignment is stable. */
function lloyd(
  x: tf.Tensor2D,
  k: number,
  options: KMeansOptions,
  seed: number,
): { labels: Int32Array; inertia: number } {
  const n = x.shape[0];
  const rng = new Random(seed);
  const seeds =
    options.init === 'kmeans++' ? kmeansPlusPlus(x, k, rng) : Array.from(rng.permutation(n).subarray(0, k));
  let centers = tf.tidy(() => tf.gather(x, tf.tensor1d(seeds, 'int32')) as tf.Tensor2D);
  let { labels, distances } = assign(x, centers);
  try {
    for (let it = 0; it < options.iterations; it++) {
      fillEmptyClusters(labels, distances, k);
      const next = centroids(x, labels, k);
      centers.dispose();
      centers = next;
      const assignment = assign(x, centers);
      const unchanged = assignment.labels.every((label, i) => label === labels[i]);
      ({ labels, distances } = assignment);
      if (unchanged) break;
    }
  } finally {
    centers.dispose();
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += distances[i];
  fillEmptyClusters(labels, distances, k);
  return { labels, inertia };
}

/**
 * Greedy k-means++ seeding: the first center uniformly; then, for each next center, 2 + ⌊ln k⌋
 * candidates drawn with probability ∝ D(x)² (D the distance to the nearest chosen center), keeping the
 * candidate that lowers the potential Σ_x D(x)² most. Plain k-means++ (one candidate) fairly often puts
 * two seeds in one of several well-separated clusters and none in another, a local optimum that neither
 * Lloyd nor EM can leave; the greedy variant, which Arthur & Vassilvitskii (2007, §6) also evaluate and
 * scikit-learn uses, rarely does.
 */
function kmeansPlusPlus(x: tf.Tensor2D, k: number, rng: Random): number[] {
  const n = x.shape[0];
  const trials = 2 + Math.floor(Math.log(k));
  const squaredNorms = tf.tidy(() => tf.sum(tf.square(x), 1, true));
  try {
    const chosen = [rng.int(n)];
    let nearest: Float64Array = Float64Array.from(squaredDistances(x, squaredNorms, chosen)[0]);
    while (chosen.length < k) {
      let total = 0;
      for (let i = 0; i < n; i++) total += nearest[i];
      if (!(total > 0)) {
        // Fewer distinct points than clusters so far: any point not yet chosen will do.
        let pick = rng.int(n);
        while (chosen.includes(pick)) pick = (pick + 1) % n;
        chosen.push(pick);
        continue;
      }
      const candidates = Array.from({ length: trials }, () => drawProportional(nearest, total, rng));
      let best: { index: number; potential: number; distances: Float64Array } | undefined;
      squaredDistances(x, squaredNorms, candidates).forEach((distances, c) => {
        const merged = nearest.map((v, i) => Math.min(v, distances[i]));
        const potential = merged.reduce((a, v) => a + v, 0);
        if (!best || potential < best.potential)
          best = { index: candidates[c], potential, distances: merged };
      });
      const winner = best as { index: number; distances: Float64Array };
      chosen.push(winner.index);
      nearest = winner.distances;
    }
    return chosen;
  } finally {
    squaredNorms.dispose();
  }
}

/** An index drawn with probability weights[i] / total. */
function drawProportional(weights: Float64Array, total: number, rng: Random): number {
  let target = rng.next() * total;
  let pick = 0;
  for (; pick < weights.length - 1; pick++) {
    target -= weights[pick];
    if (target < 0) break;
  }
  // Rounding can leave the walk on a zero-weight point at the end; step back to a positive one.
  while (weights[pick] === 0 && pick > 0) pick--;
  return pick;
}

/**
 * ‖x_i − x_c‖² for each listed center c, one [N] array per center, via ‖x‖² − 2x·c + ‖c‖² (clamped at
 * 0 against rounding) so that all candidates cost one matrix product.
 */
function squaredDistances(x: tf.Tensor2D, squaredNorms: tf.Tensor, centers: number[]): Float32Array[] {
  const distances = tf.tidy(() => {
    const c = tf.gather(x, tf.tensor1d(centers, 'int32')) as tf.Tensor2D;
    const cross = tf.matMul(x, tf.transpose(c));
    return tf.transpose(tf.relu(tf.add(tf.sub(squaredNorms, tf.mul(2, cross)), tf.sum(tf.square(c), 1))));
  });
  const flat = distances.dataSync() as Float32Array;
  distances.dispose();
  const n = x.shape[0];
  return centers.map((_, c) => flat.subarray(c * n, (c + 1) * n));
}

/** Nearest-center labels and squared distances, with ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖² as one matrix product. */
function assign(x: tf.Tensor2D, centers: tf.Tensor2D): { labels: Int32Array; distances: Float32Array } {
  const [labels, distances] = tf.tidy(() => {
    const d2 = tf.add(
      tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(2, tf.matMul(x, tf.transpose(centers)))),
      tf.sum(tf.square(centers), 1),
    );
    return [tf.argMin(d2, 1), tf.min(d2, 1)];
  });
  const result = { labels: labels.dataSync() as Int32Array, distances: distances.dataSync() as Float32Array };
  tf.dispose([labels, distances]);
  return result;
}

/** Gives each empty cluster the point farthest from its own center (each point used once), in place. */
function fillEmptyClusters(labels: Int32Array, distances: Float32Array, k: number): void {
  const counts = new Int32Array(k);
  for (const label of labels) counts[label]++;
  const taken = new Set<number>();
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let far = -1;
    for (let i = 0; i < labels.length; i++) {
      if (counts[labels[i]] > 1 && !taken.has(i) && (far < 0 || distances[i] > distances[far])) far = i;
    }
    counts[labels[far]]--;
    labels[far] = c;
    counts[c] = 1;
    taken.add(far);
  }
}

/** Cluster means Σ_{i∈c} x_i / |c| as one-hot(labels)ᵀ x. */
function centroids(x: tf.Tensor2D, labels: Int32Array, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const members = tf.transpose(oneHotRows(tf.tensor1d(labels, 'int32'), k)); // [K, N]
    return tf.div(tf.matMul(members, x), tf.sum(members, 1, true)) as tf.Tensor2D;
  });
}
