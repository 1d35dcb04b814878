/**
 * End to end with core's Trainer on mnist-10k (binarized dynamically for training, statically for test):
 * a short run lowers the held-out −ELBO below a calibrated threshold without leaking tensors, and the
 * checkpoint it writes loads back into a model with identical outputs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Batch, type GenerativeModel, isLatentModel, loadModel, PluginRegistry } from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { trainCounted } from '@genzoo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaePlugin } from '../src/index.js';
import { disposeBatch, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const dir = mkdtempSync(join(tmpdir(), 'genzoo-vae-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const registry = new PluginRegistry();
registry.register(vaePlugin);

async function train(name: string, config: Record<string, unknown>, steps: number, out: string) {
  const data = await loadDataset('mnist-10k', { binarize: 'dynamic', flatten: true });
  const { model, counter, result } = await trainCounted({
    plugin: vaePlugin,
    name,
    config,
    data,
    train: { steps, batchSize: 100, seed: 0, logEvery: 50 },
    checkpointDir: out,
  });
  return { data, model, counter, result };
}

describe('training on mnist-10k', () => {
  it('lowers the held-out −ELBO below 155 nats in 400 steps, with flat tensor counts', async () => {
    const out = join(dir, 'vae');
    const { data, model, counter, result } = await train(
      'vae',
      { latentDim: 16, network: { kind: 'mlp', hidden: [256] }, klWarmupSteps: 50 },
      400,
      out,
    );
    expect(result.lastMetrics.beta).toBe(1);
    // The whole training run leaves exactly as many tensors as it found after its first steps.
    expect(counter.counts.length).toBe(400);
    expect(new Set(counter.counts.slice(5)).size).toBe(1);

    // −ELBO starts at ≈ 543 nats (784·log 2); measured on wasm after 400 steps (batch 100, Adam 1e-3):
    // 143.2 nats (ELBO) and 138.0 nats (K = 100) on the 1,000 statically binarized test digits.
    const metrics = await evaluateModel(model, data.test, { samples: 100 });
    expect(-metrics.elbo).toBeLessThan(155);
    expect(metrics.nll_nats).toBeLessThan(-metrics.elbo);
    expect(metrics.nll_nats).toBeGreaterThan(60);

    // Save → load: the checkpoint rebuilds the model with identical outputs.
    const { model: loaded } = await loadModel(checkpointDirectory(out), { registry });
    await expectSameOutputs(model, loaded, data.test.getBatch([0, 1, 2, 3, 4, 5, 6, 7]));
    model.dispose();
    loaded.dispose();
  });

  it('saves and loads a convolutional conditional model with identical outputs', async () => {
    const out = join(dir, 'cvae-conv');
    const { data, model } = await train(
      'cvae',
      { latentDim: 4, network: { kind: 'conv', channels: [8, 16] } },
      2,
      out,
    );
    const { model: loaded } = await loadModel(checkpointDirectory(out), { registry });
    expect(Object.keys(loaded.variables()).sort()).toEqual(Object.keys(model.variables()).sort());
    await expectSameOutputs(model, loaded, data.test.getBatch([0, 1, 2, 3]));
    model.dispose();
    loaded.dispose();
  });
});

async function expectSameOutputs(a: GenerativeModel, b: GenerativeModel, batch: Batch) {
  const options = { condition: batch.condition, seed: 3 };
  if (a.likelihood.kind !== 'lowerBound' || b.likelihood.kind !== 'lowerBound')
    throw new Error('expected VAEs');
  expect(values(b.likelihood.lowerBound(batch.x, options))).toEqual(
    values(a.likelihood.lowerBound(batch.x, options)),
  );
  expect(values(b.likelihood.importanceSampledLogProb(batch.x, { ...options, samples: 20 }))).toEqual(
    values(a.likelihood.importanceSampledLogProb(batch.x, { ...options, samples: 20 })),
  );
  expect(values(b.sample(4, options))).toEqual(values(a.sample(4, options)));
  if (!isLatentModel(a) || !isLatentModel(b)) throw new Error('expected latent models');
  const [ea, eb] = [a.encode(batch.x, options), b.encode(batch.x, options)];
  expect(values(eb.mean)).toEqual(values(ea.mean));
  expect(values(eb.stddev)).toEqual(values(ea.stddev));
  disposeBatch(batch);
}
