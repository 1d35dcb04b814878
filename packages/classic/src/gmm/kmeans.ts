/**
 * k-means clustering for initializing a mixture: seeding by k-means++ (Arthur & Vassilvitskii 2007) or
 * by k distinct random examples (Forgy), then Lloyd iterations (Lloyd 1982). Distances are computed with
 * tensor ops; the seeded choices are made on the host with the deterministic `Random`, so the same
 * seed and data give the same clustering on every backend.
 */
import { Random, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { oneHotRows } from '../events.js';

export interface KMeansOptions {
  init: 'kmeans++' | 'random';
  /** Maximum Lloyd iterations; stops early when the assignment no longer changes. */
  iterations: number;
  seed: number;
}

/**
 * Cluster labels of the rows of x [N, D] into k non-empty clusters. The labels are those the final
 * centroids were computed from, so every cluster has at least one member.
 */
export function kmeansLabels(x: tf.Tensor2D, k: number, options: KMeansOptions): Int32Array {
  const n = x.shape[0];
  if (n < k)
    throw new ShapeError(
      `k-means needs at least as many examples as clusters: got ${n} examples for ${k} clusters`,
    );
  const rng = new Random(options.seed);
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
  fillEmptyClusters(labels, distances, k);
  return labels;
}

/** k-means++ seeding: the first center uniformly, each next one with probability ∝ D(x)², D the distance to the nearest chosen center. */
function kmeansPlusPlus(x: tf.Tensor2D, k: number, rng: Random): number[] {
  const n = x.shape[0];
  const chosen = [rng.int(n)];
  let nearest: Float64Array | undefined;
  while (chosen.length < k) {
    const last = chosen[chosen.length - 1];
    const distances = tf.tidy(() => tf.sum(tf.square(tf.sub(x, tf.slice(x, [last, 0], [1, -1]))), 1));
    const d2 = distances.dataSync();
    distances.dispose();
    nearest = nearest ? nearest.map((v, i) => Math.min(v, d2[i])) : Float64Array.from(d2);
    let total = 0;
    for (let i = 0; i < n; i++) total += nearest[i];
    if (!(total > 0)) {
      // Fewer distinct points than clusters so far: any point not yet chosen will do.
      let pick = rng.int(n);
      while (chosen.includes(pick)) pick = (pick + 1) % n;
      chosen.push(pick);
      continue;
    }
    let target = rng.next() * total;
    let pick = 0;
    for (; pick < n - 1; pick++) {
      target -= nearest[pick];
      if (target < 0) break;
    }
    // Rounding can leave the walk on a zero-weight point (an already chosen one); step to the previous positive one.
    while (nearest[pick] === 0 && pick > 0) pick--;
    chosen.push(pick);
  }
  return chosen;
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
