/**
 * End to end with core's Trainer on mnist-10k (binarized dynamically for training, once for test): short
 * runs lower the exact held-out NLL below calibrated thresholds without leaking tensors, and the
 * checkpoints load back into models with identical log-likelihoods and samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Batch, type GenerativeModel, loadModel, PluginRegistry } from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { trainCounted } from '@genzoo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoregressivePlugin } from '../src/index.js';
import { labels, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const dir = mkdtempSync(join(tmpdir(), 'genzoo-autoregressive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const registry = new PluginRegistry();
registry.register(autoregressivePlugin);

async function train(
  name: string,
  config: Record<string, unknown>,
  steps: number,
  batchSize: number,
  dataOptions: Record<string, unknown> = { binarize: 'dynamic' },
) {
  const data = await loadDataset('mnist-10k', dataOptions);
  const out = join(dir, name);
  const { model, counter, result } = await trainCounted({
    plugin: autoregressivePlugin,
    name,
    config,
    data,
    train: { steps, batchSize, seed: 0, logEvery: 50, optimizer: { name: 'adam', learningRate: 2e-3 } },
    checkpointDir: out,
  });
  expect(result.steps).toBe(steps);
  // The run leaves exactly as many tensors as it found after its first steps.
  expect(new Set(counter.counts.slice(3)).size).toBe(1);
  const metrics = await evaluateModel(model, data.test, { limit: 500 });
  const { model: loaded } = await loadModel(checkpointDirectory(out), { registry });
  return { data, model, loaded, metrics };
}

async function expectSameModel(a: GenerativeModel, b: GenerativeModel, batch: Batch, conditional: boolean) {
  if (a.likelihood.kind !== 'exact' || b.likelihood.kind !== 'exact')
    throw new Error('expected exact models');
  const condition = conditional ? batch.condition : undefined;
  expect(values(b.likelihood.logProb(batch.x, { condition }))).toEqual(
    values(a.likelihood.logProb(batch.x, { condition })),
  );
  const sampleCondition = conditional ? labels(2, 10) : undefined;
  expect(values(b.sample(2, { seed: 4, condition: sampleCondition }))).toEqual(
    values(a.sample(2, { seed: 4, condition: sampleCondition })),
  );
  tf.dispose([batch.x, batch.labels, batch.condition, sampleCondition].filter((t) => t !== undefined));
}

// Thresholds: an untrained model scores ≈ 543 nats (784 · log 2). Measured on wasm, 500 test digits.
describe('training on mnist-10k', () => {
  it('MADE with 2 mask sets: below 160 nats in 400 steps (measured 147.4); save → load identical', async () => {
    const { data, model, loaded, metrics } = await train('made', { hidden: [256], masks: 2 }, 400, 100);
    expect(metrics.nll_nats).toBeLessThan(160);
    await expectSameModel(model, loaded, data.test.getBatch([0, 1, 2, 3]), false);
    model.dispose();
    loaded.dispose();
  });

  it('MADE with a logistic head on dequantized grey levels: below 6.5 bits/dim in 300 steps (measured 5.76)', async () => {
    const { data, model, loaded, metrics } = await train(
      'made',
      { hidden: [256], head: { kind: 'logistic' } },
      300,
      100,
      { dequantize: true },
    );
    // Discrete bits/dim of the 8-bit digits (the D·log 256 offset applied): 8 for a uniform density. The
    // log-scales start at 0 and Adam moves them by about the learning rate per step, so the ≈ −6 that
    // the dequantized background pixels want takes thousands of steps; 300 show the descent.
    expect(metrics.bits_per_dim).toBeLessThan(6.5);
    await expectSameModel(model, loaded, data.test.getBatch([0, 1]), false);
    model.dispose();
    loaded.dispose();
  });

  it('NADE: below 220 nats in 150 steps (measured 205.3)', async () => {
    const { data, model, loaded, metrics } = await train('nade', { hidden: 64 }, 150, 64);
    expect(metrics.nll_nats).toBeLessThan(220);
    await expectSameModel(model, loaded, data.test.getBatch([0, 1]), false);
    model.dispose();
    loaded.dispose();
  });

  it('PixelCNN: below 135 nats in 60 steps (measured 123.5)', async () => {
    const { data, model, loaded, metrics } = await train(
      'pixelcnn',
      { channels: 16, residualBlocks: 2, outputChannels: 16 },
      60,
      32,
    );
    expect(metrics.nll_nats).toBeLessThan(135);
    await expectSameModel(model, loaded, data.test.getBatch([0, 1]), false);
    model.dispose();
    loaded.dispose();
  });

  it('class-conditional Gated PixelCNN: below 140 nats in 60 steps (measured 127.5)', async () => {
    const { data, model, loaded, metrics } = await train(
      'gated-pixelcnn',
      { channels: 8, gatedLayers: 2, outputChannels: 16, conditional: true },
      60,
      32,
    );
    expect(metrics.nll_nats).toBeLessThan(140);
    await expectSameModel(model, loaded, data.test.getBatch([0, 1]), true);
    model.dispose();
    loaded.dispose();
  });
});
