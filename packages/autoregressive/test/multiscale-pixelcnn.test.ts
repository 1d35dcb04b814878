/**
 * Multiscale PixelCNN (Reed et al. 2017): the exact likelihood is normalized (all 2^16 images of 4 × 4
 * pixels); each group's logits depend only on earlier groups (autodiff); samples follow logProb (2 × 2,
 * frequencies against exact probabilities); a short run on mnist-10k lowers the held-out NLL, and its
 * checkpoint loads back with identical log-likelihoods and samples; nothing leaks; bad shapes are refused.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, PluginRegistry } from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { checkModelLeaks, smokeRecipe, trainCounted } from '@genzoo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoregressivePlugin } from '../src/index.js';
import { multiscalePixelcnnConfigSchema } from '../src/multiscale-pixelcnn/config.js';
import { multiscalePixelcnnDefinition } from '../src/multiscale-pixelcnn/index.js';
import { GROUPS, type Group, type MultiscalePixelCnn } from '../src/multiscale-pixelcnn/model.js';
import { allBinary, binaryExamples, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const dir = mkdtempSync(join(tmpdir(), 'genzoo-multiscale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plugin = autoregressivePlugin;

const TINY = {
  channels: 4,
  residualBlocks: 1,
  firstKernel: 3,
  outputChannels: 4,
  upsampleChannels: 4,
  upsampleBlocks: 1,
};

function create(config: Record<string, unknown>, eventShape: number[], seed = 1): MultiscalePixelCnn {
  const parsed = multiscalePixelcnnConfigSchema.parse(config);
  return multiscalePixelcnnDefinition.create(parsed, { eventShape, seed }) as MultiscalePixelCnn;
}

/** Weights away from their initialization (zero biases), so every conditional is a non-trivial one. */
function perturb(model: MultiscalePixelCnn, seed: number): void {
  Object.values(model.variables()).forEach((v, i) => {
    tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed + i))));
  });
}

describe('multiscale PixelCNN', () => {
  it('builds a base PixelCNN and one network per level and group; refuses shapes it cannot split', () => {
    const model = create(TINY, [28, 28, 1]);
    expect(model.baseShape).toEqual([7, 7]);
    const keys = Object.keys(model.variables());
    expect(keys).toContain('base/input/kernel');
    for (const side of [14, 28])
      for (const g of GROUPS) expect(keys).toContain(`level${side}/group${g}/input/kernel`);
    model.dispose();
    expect(() => create(TINY, [30, 30, 1])).toThrow(/divisible by 4.*30 × 30/);
    expect(() => create(TINY, [8, 8, 3])).toThrow(/single-channel/);
    expect(() => create({ ...TINY, levels: 3 }, [12, 12, 1])).toThrow(/divisible by 8/);
    expect(create({ ...TINY, levels: 1 }, [2, 2, 1]).baseShape).toEqual([1, 1]);
  });

  it('is normalized: the 2^16 binary 4 × 4 images (base 1 × 1, two levels) have total probability 1', () => {
    const model = create(TINY, [4, 4, 1]);
    perturb(model, 3);
    const images = tf.tensor4d(allBinary(16).flat(), [2 ** 16, 4, 4, 1]);
    const logProb = model.logProb(images);
    const total = values(tf.tidy(() => tf.sum(tf.exp(logProb))))[0];
    const spread = values(tf.tidy(() => tf.sub(tf.max(logProb), tf.min(logProb))))[0];
    logProb.dispose();
    images.dispose();
    model.dispose();
    console.log(
      `multiscale-pixelcnn: Σ p(x) − 1 = ${(total - 1).toExponential(2)}, log p spread ${spread.toFixed(2)}`,
    );
    // Measured Σ p(x) − 1 = −9.1e-6 in float32; the conditionals are far from uniform (spread of log p).
    expect(Math.abs(total - 1)).toBeLessThan(1e-4);
    expect(spread).toBeGreaterThan(1);
  });

  it('group g at level s depends on the earlier groups only (gradients of its logits)', () => {
    // 8 × 8, two levels: base 2 × 2 (every 4th pixel), 4 × 4 and 8 × 8.
    const size = 8;
    const levels = 2;
    const model = create({ ...TINY, upsampleChannels: 16, upsampleBlocks: 2 }, [size, size, 1]);
    perturb(model, 5);
    const x = binaryExamples(1, [size, size, 1], 7);
    /** (level, group) of the full image's pixel (r, c): base (0, 1), then the level where it first appears. */
    const keyOf = (r: number, c: number): [number, number] => {
      for (let level = 0; level <= levels; level++) {
        const k = 2 ** (levels - level);
        if (r % k === 0 && c % k === 0) {
          if (level === 0) return [0, 1];
          const u = r / k;
          const v = c / k;
          return [level, 1 + (u % 2) * 2 + (v % 2)];
        }
      }
      throw new Error('unreachable');
    };
    const before = (a: [number, number], b: [number, number]) =>
      a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    let checked = 0;
    let reached = 0;
    for (let level = 1; level <= levels; level++) {
      const side = 2 * 2 ** level;
      for (const g of GROUPS) {
        let groupReached = 0;
        for (let u = 0; u < side; u++) {
          for (let v = 0; v < side; v++) {
            if (1 + (u % 2) * 2 + (v % 2) !== g) continue;
            const grad = tf.grad((input: tf.Tensor) =>
              tf.sum(tf.slice(model.groupLogits(input, level, g as Group), [0, u, v], [1, 1, 1])),
            )(x);
            const dx = values(grad);
            let earlier = 0;
            for (let r = 0; r < size; r++) {
              for (let c = 0; c < size; c++) {
                const d = Math.abs(dx[r * size + c]);
                if (before(keyOf(r, c), [level, g])) earlier = Math.max(earlier, d);
                else expect(d, `level ${level} group ${g} (${u}, ${v}) ← pixel (${r}, ${c})`).toBe(0);
              }
            }
            if (earlier > 0) groupReached++;
            checked++;
          }
        }
        // A logit may have no path to the input through ReLUs that are off at this x; a group cannot.
        expect(groupReached, `level ${level} group ${g}`).toBeGreaterThan(0);
        reached += groupReached;
      }
    }
    expect(checked).toBe(3 * 4 + 3 * 16);
    // Measured: every one of the 60 logits depends on some earlier pixel at this x.
    expect(reached).toBe(checked);
    x.dispose();
    model.dispose();
  });

  it('samples follow logProb: 2 × 2 images (base 1 × 1, one level), 20,000 draws', () => {
    const model = create({ ...TINY, levels: 1 }, [2, 2, 1]);
    perturb(model, 11);
    const images = tf.tensor4d(allBinary(4).flat(), [16, 2, 2, 1]);
    const p = values(tf.tidy(() => tf.exp(model.logProb(images))));
    const n = 20000;
    const drawn = values(model.sample(n, { seed: 13 }));
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < n; i++) {
      let index = 0;
      for (let j = 0; j < 4; j++) index += drawn[i * 4 + j] << j;
      counts[index]++;
    }
    // Pearson's χ² with 15 degrees of freedom; 37.7 is its 99.9% quantile.
    const chi2 = counts.reduce((sum, count, k) => sum + (count - n * p[k]) ** 2 / (n * p[k]), 0);
    const maxDeviation = Math.max(...counts.map((count, k) => Math.abs(count / n - p[k])));
    images.dispose();
    model.dispose();
    console.log(`multiscale-pixelcnn: χ² = ${chi2.toFixed(2)}, max |f − p| = ${maxDeviation.toFixed(4)}`);
    expect(chi2).toBeLessThan(37.7);
    expect(maxDeviation).toBeLessThan(0.015);
  });

  it('samples are seeded, binary, of the event shape (also flattened)', () => {
    const model = create(TINY, [8, 8, 1]);
    perturb(model, 17);
    const a = model.sample(3, { seed: 1 });
    expect(a.shape).toEqual([3, 8, 8, 1]);
    const av = values(a);
    expect(av.every((v) => v === 0 || v === 1)).toBe(true);
    expect(values(model.sample(3, { seed: 1 }))).toEqual(av);
    const flat = create(TINY, [64], 1);
    expect(flat.sample(2, { seed: 1 }).shape).toEqual([2, 64]);
    flat.dispose();
    model.dispose();
  });

  it('complete keeps the observed pixels and draws the rest; with nothing observed it is sample', () => {
    const model = create(TINY, [8, 8, 1]);
    perturb(model, 19);
    const x = binaryExamples(3, [8, 8, 1], 21);
    const topHalf = tf.tensor3d(
      Array.from({ length: 64 }, (_, i) => (i < 32 ? 1 : 0)),
      [8, 8, 1],
    );
    const xv = values(tf.clone(x));
    const completed = values(model.complete(x, topHalf, { seed: 2 }));
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 64; j++) {
        if (j < 32) expect(completed[i * 64 + j]).toBe(xv[i * 64 + j]);
        else expect([0, 1]).toContain(completed[i * 64 + j]);
      }
    const nothing = tf.zeros([8, 8, 1]);
    expect(values(model.complete(x, nothing, { seed: 5 }))).toEqual(values(model.sample(3, { seed: 5 })));
    tf.dispose([x, topHalf, nothing]);
    model.dispose();
  });

  it('trains on mnist-10k: held-out NLL below 120 nats in 150 steps (measured 105.1); save → load identical', async () => {
    const data = await loadDataset('mnist-10k', { binarize: 'dynamic' });
    const out = join(dir, 'trained');
    const config = {
      channels: 16,
      residualBlocks: 2,
      outputChannels: 16,
      upsampleChannels: 16,
      upsampleBlocks: 1,
    };
    const started = performance.now();
    const { model, counter, result } = await trainCounted({
      plugin,
      name: 'multiscale-pixelcnn',
      config,
      data,
      train: {
        steps: 150,
        batchSize: 32,
        seed: 0,
        logEvery: 50,
        optimizer: { name: 'adam', learningRate: 2e-3 },
      },
      checkpointDir: out,
    });
    expect(result.steps).toBe(150);
    expect(new Set(counter.counts.slice(3)).size).toBe(1);
    const metrics = await evaluateModel(model, data.test, { limit: 500 });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `multiscale-pixelcnn: ${metrics.nll_nats.toFixed(2)} nats after 150 steps (${seconds.toFixed(1)} s)`,
    );
    expect(metrics.nll_nats).toBeLessThan(120);
    const registry = new PluginRegistry();
    registry.register(plugin);
    const { model: loaded } = await loadModel(checkpointDirectory(out), { registry });
    if (model.likelihood.kind !== 'exact' || loaded.likelihood.kind !== 'exact') throw new Error('exact');
    const batch = data.test.getBatch([0, 1, 2, 3]);
    expect(values(loaded.likelihood.logProb(batch.x))).toEqual(values(model.likelihood.logProb(batch.x)));
    expect(values(loaded.sample(2, { seed: 4 }))).toEqual(values(model.sample(2, { seed: 4 })));
    tf.dispose([batch.x, batch.labels, batch.condition].filter((t) => t !== undefined));
    model.dispose();
    loaded.dispose();
  }, 120_000);

  describe('the mnist-10k recipe (smaller networks, small batches)', () => {
    const recipe = multiscalePixelcnnDefinition.reproduce[0];
    const small = {
      ...recipe,
      config: { ...recipe.config, channels: 8, residualBlocks: 1, upsampleChannels: 8, upsampleBlocks: 1 },
      train: { ...recipe.train, batchSize: 8 },
      quick: undefined,
    };

    it('trains, samples, scores, saves and loads', async () => {
      const report = await smokeRecipe(plugin, 'multiscale-pixelcnn', small, { steps: 3 });
      expect(report.sampleShape).toEqual([4, 28, 28, 1]);
      expect(report.meanLogLikelihood).toBeLessThan(0);
      expect(report.meanLogLikelihood).toBeGreaterThan(-784);
    }, 60_000);

    it('does not leak tensors (training, sampling, logProb, dispose)', async () => {
      await checkModelLeaks(plugin, 'multiscale-pixelcnn', small, { steps: 4, examples: 2 });
    }, 60_000);
  });
});
