import { Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { kmeansLabels } from '../src/gmm/kmeans.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

/** 8 tight, well-separated clusters on a circle (like `8gaussians`); returns points and true labels. */
function ring(n: number, seed: number): { points: number[][]; truth: number[] } {
  const rng = new Random(seed);
  const truth = Array.from({ length: n }, () => rng.int(8));
  const points = truth.map((k) => [
    4 * Math.cos((k * Math.PI) / 4) + 0.5 * rng.normal(),
    4 * Math.sin((k * Math.PI) / 4) + 0.5 * rng.normal(),
  ]);
  return { points, truth };
}

/** Whether each true cluster has its own label for at least 97% of its points (a few cross over). */
function recovers(labels: Int32Array, truth: number[]): boolean {
  const majority = Array.from({ length: 8 }, (_, k) => {
    const counts = new Map<number, number>();
    truth.forEach((t, i) => {
      if (t === k) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    });
    const [label, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    return { label, share: count / truth.filter((t) => t === k).length };
  });
  return new Set(majority.map((m) => m.label)).size === 8 && majority.every((m) => m.share >= 0.97);
}

describe('kmeansLabels', () => {
  it('the best of 3 greedy k-means++ runs finds every one of 8 separated clusters, for every seed', () => {
    const { points, truth } = ring(2000, 1);
    const x = tf.tensor2d(points);
    const before = tf.memory().numTensors;
    let singleRunFailures = 0;
    for (let seed = 0; seed < 20; seed++) {
      if (!recovers(kmeansLabels(x, 8, { init: 'kmeans++', iterations: 10, seed }), truth))
        singleRunFailures++;
      const best = kmeansLabels(x, 8, { init: 'kmeans++', iterations: 10, restarts: 3, seed });
      expect(recovers(best, truth), `seed ${seed}`).toBe(true);
    }
    // A single run sometimes seeds two centers in one cluster, which is why the mixture restarts.
    expect(singleRunFailures).toBeLessThan(4);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('is reproducible per seed and returns non-empty clusters even from duplicate points', () => {
    const { points } = ring(500, 2);
    const x = tf.tensor2d(points);
    for (const init of ['kmeans++', 'random'] as const) {
      const a = kmeansLabels(x, 8, { init, iterations: 3, seed: 7 });
      expect(kmeansLabels(x, 8, { init, iterations: 3, seed: 7 })).toEqual(a);
    }
    // Three distinct points, five clusters: every cluster still gets a member.
    const duplicates = tf.tensor2d([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], [6, 2]);
    const labels = kmeansLabels(duplicates, 5, { init: 'kmeans++', iterations: 5, seed: 1 });
    expect(new Set(labels).size).toBe(5);
    tf.dispose([x, duplicates]);
  });
});
