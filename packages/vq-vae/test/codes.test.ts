/**
 * The `vq-codes` dataset of the Node entry: a trained VQ-VAE's code grids of its own training data, read
 * from a checkpoint folder, with labels, a fingerprint of the VQ-VAE that a changed VQ-VAE fails, and a
 * code prior of @genzoo/autoregressive that trains on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodePrior } from '@genzoo/autoregressive';
import { registerPlugin, Trainer, trainConfigSchema } from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { datasetSpec, loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vqVaePlugin } from '../src/node.js';
import { createVqVae, tf, useWasm, values } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'genzoo-vq-codes-'));
const K = 16;

async function trainVqVae(steps: number, out: string) {
  const data = await loadDataset('mnist-10k', { dequantize: true, trainLimit: 256, testLimit: 64 });
  const model = createVqVae({ codebookSize: K }, 0);
  await new Trainer({
    model,
    modelRef: { name: 'vq-vae', plugin: vqVaePlugin },
    train: data.train,
    config: trainConfigSchema.parse({
      steps,
      batchSize: 32,
      seed: 0,
      optimizer: { name: 'adam', learningRate: 1e-3 },
    }),
    checkpoints: checkpointDirectory(join(out, 'checkpoint')),
    runInfo: { dataset: data.spec },
  }).run();
  return { data, model };
}

beforeAll(async () => {
  await useWasm();
  registerPlugin(vqVaePlugin);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vq-codes', () => {
  it("encodes a VQ-VAE run's data to code grids with labels, refuses a changed VQ-VAE, and trains a prior", async () => {
    const run = join(dir, 'vqvae');
    const { data, model } = await trainVqVae(3, run);
    const codes = await loadDataset('vq-codes', { run });
    expect(codes.train.size).toBe(data.train.size);
    expect(codes.test.size).toBe(64);
    expect(codes.train.eventShape).toEqual([7, 7, 1]);
    expect(codes.test.numClasses).toBe(10);
    expect(codes.spec.options.run).toBe(run);
    expect(String(codes.spec.options.fingerprint)).toMatch(/^[0-9a-f]{8}-\d+$/);

    // The same codes as the model's own encoding of the images (held-out images are not noised), and the labels.
    const indices = Int32Array.from({ length: 64 }, (_, i) => i);
    const images = data.test.getBatch(indices, { seed: 0 });
    const grids = codes.test.getBatch(indices);
    const expected = values(model.encodeCodes(images.x));
    const got = values(grids.x);
    expect(got).toEqual(expected);
    expect(got.every((k) => Number.isInteger(k) && k >= 0 && k < K)).toBe(true);
    expect(values(grids.labels!)).toEqual(values(images.labels!));
    tf.dispose([images.x, images.condition, grids.condition]);

    // The stored spec reloads the same codes; a retrained VQ-VAE in the same folder is refused.
    const spec = datasetSpec('vq-codes', codes.spec.options);
    const again = await loadDataset(spec.name, spec.options);
    expect(values(again.test.getBatch(indices).x)).toEqual(got);
    model.dispose();
    rmSync(run, { recursive: true, force: true });
    (await trainVqVae(4, run)).model.dispose();
    await expect(loadDataset(spec.name, spec.options)).rejects.toThrow(
      /changed since its codes were recorded/,
    );
    await expect(loadDataset('vq-codes', {})).rejects.toThrow(/needs the run option/);

    // A class-conditional gated PixelCNN prior trains on them.
    const fresh = await loadDataset('vq-codes', { run });
    const prior = createCodePrior({
      codeShape: [7, 7],
      categories: K,
      config: { channels: 8, gatedLayers: 2, outputChannels: 16, conditional: true },
      numClasses: 10,
    });
    const before = tf.memory().numTensors;
    const result = await new Trainer({
      model: prior.model,
      modelRef: { name: 'gated-pixelcnn', plugin: { name: '@genzoo/autoregressive', version: '0' } },
      train: fresh.train,
      config: trainConfigSchema.parse({
        steps: 3,
        batchSize: 32,
        optimizer: { name: 'adam', learningRate: 1e-3 },
      }),
    }).run();
    expect(result.steps).toBe(3);
    const { nll_nats } = await evaluateModel(prior.model, fresh.test);
    expect(Number.isFinite(nll_nats)).toBe(true);
    expect(nll_nats).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    prior.dispose();
  });
});
