/**
 * Scoring a multi-domain translation model on mnist-10k-domains through its reference classifier (a
 * domain classifier, trained here for one epoch into a temporary cache): a model whose "translations" to
 * domain k are real test images of k scores a high target-domain accuracy and small per-domain
 * classifier-FDs; the identity map, which never leaves the source domain, scores an accuracy near 0 and
 * far larger FDs; a dataset without domains is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@genzoo/backends';
import type { GenerativeModel, MultiDomainTranslationModel } from '@genzoo/core';
import { type LoadedDataset, loadDataset } from '@genzoo/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreSamples } from '../src/node.js';

const cache = mkdtempSync(join(tmpdir(), 'genzoo-multi-domain-'));
const previous = process.env.GENZOO_CACHE_DIR;
beforeAll(async () => {
  process.env.GENZOO_CACHE_DIR = cache;
  await initBackend({ force: 'wasm', quiet: true });
});
afterAll(() => {
  if (previous === undefined) delete process.env.GENZOO_CACHE_DIR;
  else process.env.GENZOO_CACHE_DIR = previous;
  rmSync(cache, { recursive: true, force: true });
});

const N = 200;
const K = 5;

/** A multi-domain "translator" from a function of the source rows and the target domain. */
function translator(
  name: string,
  map: (x: tf.Tensor, k: number) => tf.Tensor,
): GenerativeModel & MultiDomainTranslationModel {
  return {
    name,
    config: {},
    eventShape: [28, 28, 1],
    domainShape: [28, 28, 1],
    numDomains: K,
    likelihood: { kind: 'none' },
    variables: () => ({}),
    trainingPlan: () => {
      throw new Error('not trained');
    },
    sample: () => {
      throw new Error('not sampled');
    },
    translateTo: (x, targets) =>
      tf.tidy(() => {
        const k = tf.argMax(targets, 1).dataSync();
        expect(new Set(k).size).toBe(1);
        return map(x, k[0]);
      }),
    dispose: () => {},
  };
}

/** Row i of a translation to k: the (i mod m)-th of the m real test images of domain k among the first N. */
function realImagesOf(data: LoadedDataset): (x: tf.Tensor, k: number) => tf.Tensor {
  const batch = data.test.getBatch(Array.from({ length: N }, (_, i) => i));
  const labels = Array.from(batch.labels!.dataSync());
  const images = batch.x.arraySync() as number[][][][];
  tf.dispose(Object.values(batch));
  const byDomain = Array.from({ length: K }, (_, k) => images.filter((_, i) => labels[i] === k));
  return (x, k) =>
    tf.tensor(Array.from({ length: x.shape[0] }, (_, i) => byDomain[k][i % byDomain[k].length]));
}

describe('multi-domain translation scores', () => {
  it('rewards translations that land in the target domain and penalizes the identity', async () => {
    const data = await loadDataset('mnist-10k-domains', { range: [-1, 1] });
    const score = (model: GenerativeModel) =>
      scoreSamples({
        model,
        modelName: model.name,
        datasetName: 'mnist-10k-domains',
        data,
        n: N,
        seed: 0,
        classifierEpochs: 1,
        quiet: true,
      });
    const before = tf.memory().numTensors;
    const oracle = await score(translator('oracle', realImagesOf(data)));
    const identity = await score(translator('identity', (x) => tf.clone(x)));
    expect(tf.memory().numTensors).toBe(before);
    const names = ['upright', 'rotated', 'inverted', 'thick', 'thin'];
    for (const metrics of [oracle.metrics, identity.metrics]) {
      for (const key of ['target_accuracy', 'classifier_fd', ...names.map((d) => `classifier_fd_to_${d}`)])
        expect(Number.isFinite(metrics[key]), key).toBe(true);
      const mean = names.reduce((sum, d) => sum + metrics[`classifier_fd_to_${d}`], 0) / K;
      expect(metrics.classifier_fd).toBeCloseTo(mean, 6);
      expect(metrics.n).toBe(N);
    }
    // The domain classifier tells the five transforms apart after one epoch.
    expect(oracle.classifier!.accuracy).toBeGreaterThan(0.85);
    expect(oracle.metrics.target_accuracy).toBeGreaterThan(0.85);
    for (const d of names) expect(oracle.metrics[`target_accuracy_to_${d}`], d).toBeGreaterThan(0.7);
    expect(identity.metrics.target_accuracy).toBeLessThan(0.15);
    for (const d of names)
      expect(identity.metrics[`classifier_fd_to_${d}`], d).toBeGreaterThan(
        3 * oracle.metrics[`classifier_fd_to_${d}`],
      );
  });

  it('refuses a dataset without domains', async () => {
    const data = await loadDataset('mnist-10k', { testLimit: 50 });
    await expect(
      scoreSamples({
        model: translator('identity', (x) => tf.clone(x)),
        modelName: 'identity',
        datasetName: 'mnist-10k',
        data,
        n: 20,
        seed: 0,
        quiet: true,
      }),
    ).rejects.toThrow(/not a multi-domain dataset of 5 domains/);
  });
});
