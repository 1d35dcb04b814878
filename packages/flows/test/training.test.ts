/**
 * End to end with core's Trainer: short runs on two moons raise the exact held-out log-likelihood above
 * calibrated thresholds without leaking tensors, a short Glow run on dequantized mnist-10k lowers
 * bits/dim, and checkpoints load back into models with identical log-probs and samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GenerativeModel, loadModel, PluginRegistry } from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { trainCounted } from '@genzoo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowsPlugin } from '../src/index.js';
import { type tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const dir = mkdtempSync(join(tmpdir(), 'genzoo-flows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const registry = new PluginRegistry();
registry.register(flowsPlugin);

async function train(
  name: string,
  config: Record<string, unknown>,
  dataset: string,
  dataOptions: Record<string, unknown>,
  steps: number,
  batchSize: number,
) {
  const data = await loadDataset(dataset, dataOptions);
  const checkpoint = join(dir, `${name}-${dataset}`, 'checkpoint');
  const { model, counter } = await trainCounted({
    plugin: flowsPlugin,
    name,
    config,
    data,
    train: {
      steps,
      batchSize,
      optimizer: { name: 'adam', learningRate: 1e-3 },
      logEvery: 50,
      checkpointEvery: 0,
    },
    checkpointDir: checkpoint,
  });
  return { data, model, counter, checkpoint };
}

/** Same log-probs and same seeded samples from the loaded model. */
async function expectIdenticalAfterLoad(model: GenerativeModel, checkpoint: string, x: tf.Tensor) {
  const { model: loaded } = await loadModel(checkpointDirectory(checkpoint), { registry });
  const logProb = (m: GenerativeModel) =>
    values((m.likelihood as { logProb(x: tf.Tensor): tf.Tensor }).logProb(x));
  expect(logProb(loaded)).toEqual(logProb(model));
  expect(values(loaded.sample(8, { seed: 3 }))).toEqual(values(model.sample(8, { seed: 3 })));
  loaded.dispose();
}

function expectFlat(counts: number[]): void {
  expect(counts.length).toBeGreaterThan(10);
  expect(new Set(counts.slice(2)).size, `tensor counts ${counts.slice(0, 6)}…`).toBe(1);
}

describe('two moons', () => {
  // Calibrated on wasm (seed 0, 10,000 training points, 2,000 test points), measured after 400 steps:
  // realnvp 2.604, nice 3.006 (from 3.48 with its logistic base: additive couplings of one coordinate
  // preserve area, only the diagonal scaling changes it), maf 2.744. The 8-component GMM reaches 2.45.
  it.each([
    ['realnvp', { couplings: 8, hidden: [64, 64] }, 2.65],
    ['nice', { couplings: 4, hidden: [64, 64], mask: 'half' }, 3.1],
    ['maf', { layers: 4, hidden: [64, 64] }, 2.8],
  ] as const)(
    '%s: test NLL below the threshold after 400 steps, no leaks, save → load identical',
    async (name, config, threshold) => {
      const { data, model, counter, checkpoint } = await train(
        name,
        config,
        'moons',
        { n: 10_000 },
        400,
        256,
      );
      const metrics = await evaluateModel(model, data.test);
      expect(metrics.nll_nats).toBeLessThan(threshold);
      expectFlat(counter.counts);
      const x = data.test.getBatch([0, 1, 2, 3, 4, 5, 6, 7]).x;
      await expectIdenticalAfterLoad(model, checkpoint, x);
      x.dispose();
      model.dispose();
    },
    120_000,
  );
});

describe('dequantized digits', () => {
  // Measured on wasm: 6.71 bits/dim after 60 steps of batch 32 (5.42 after 150 steps of the quick
  // mnist-10k recipe); Adam moves each ActNorm log-scale by ~lr per step, so the early descent is slow.
  it('a small Glow lowers test bits/dim below 7 in 60 steps; save → load identical (ActNorm state included)', async () => {
    const { data, model, counter, checkpoint } = await train(
      'glow',
      { levels: 2, steps: 2, features: 16 },
      'mnist-10k',
      { dequantize: true },
      60,
      32,
    );
    const metrics = await evaluateModel(model, data.test, { limit: 200 });
    expect(metrics.bits_per_dim).toBeLessThan(7);
    expectFlat(counter.counts);
    const x = data.test.getBatch([0, 1, 2, 3]).x;
    await expectIdenticalAfterLoad(model, checkpoint, x);
    x.dispose();
    model.dispose();
  }, 300_000);
});
