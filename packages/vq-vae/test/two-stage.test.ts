/**
 * The two-stage VQ-VAE (`vq-vae-prior`): a trained VQ-VAE read from its run folder and frozen, a Gated
 * PixelCNN prior trained on its codes; the bound is the decoder's term plus the prior's, samples are the
 * prior's codes decoded, and the checkpoint is self-contained.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel, loadModel, registerPlugin, Trainer, trainConfigSchema } from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TwoStageVqVae, type VqVae, vqVaePlugin } from '../src/node.js';
import { createVqVae, expectClose, tf, useWasm, values } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'genzoo-two-stage-'));
const K = 16;
const PRIOR = { channels: 8, gatedLayers: 1, outputChannels: 16 };
const train = (steps: number) =>
  trainConfigSchema.parse({ steps, batchSize: 32, seed: 0, optimizer: { name: 'adam', learningRate: 1e-3 } });

beforeAll(async () => {
  await useWasm();
  registerPlugin(vqVaePlugin);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vq-vae-prior', () => {
  it('trains the prior only; bound = decoder term + prior term; samples decode; self-contained checkpoint', async () => {
    const data = await loadDataset('mnist-10k', { dequantize: true, trainLimit: 256, testLimit: 64 });
    const run = join(dir, 'vqvae');
    const vq = createVqVae({ codebookSize: K }, 0);
    await new Trainer({
      model: vq,
      modelRef: { name: 'vq-vae', plugin: vqVaePlugin },
      train: data.train,
      config: train(3),
      checkpoints: checkpointDirectory(join(run, 'checkpoint')),
      runInfo: { dataset: data.spec },
    }).run();

    const model = createModel(
      'vq-vae-prior',
      { vqvae: run, prior: PRIOR },
      { eventShape: [28, 28, 1], seed: 0 },
    ) as TwoStageVqVae;
    const x = data.test.getBatch(Int32Array.from({ length: 16 }, (_, i) => i)).x;
    // The frozen VQ-VAE is the trained one.
    expect(values(model.vqvae.encodeCodes(x))).toEqual(values(vq.encodeCodes(x)));
    expect(model.config.frozen?.fingerprint).toMatch(/^[0-9a-f]{8}-\d+$/);
    const frozenBefore = Object.entries(model.vqvae.variables()).map(([k, v]) => [
      k,
      Array.from(v.dataSync()),
    ]);

    const out = join(dir, 'prior');
    const result = await new Trainer({
      model,
      modelRef: { name: 'vq-vae-prior', plugin: vqVaePlugin },
      train: data.train,
      config: train(3),
      checkpoints: checkpointDirectory(join(out, 'checkpoint')),
    }).run();
    expect(result.steps).toBe(3);
    // No player trains the VQ-VAE.
    const frozenAfter = Object.entries(model.vqvae.variables()).map(([k, v]) => [
      k,
      Array.from(v.dataSync()),
    ]);
    expect(frozenAfter).toEqual(frozenBefore);

    // log p(x) ≥ log p(x | z_q) + log p_prior(z_q); the decoder term is the uniform-prior bound + h·w·log K.
    const bound = values(model.lowerBound(x));
    const decoder = values(tf.add(vq.lowerBound(x), vq.priorNats()));
    const prior = values(model.prior.logProb(vq.encodeCodes(x)));
    expectClose(
      bound,
      decoder.map((d, i) => d + prior[i]),
      2,
    );
    expect(prior.every((p) => p < 0 && p > -49 * Math.log(K) * 3)).toBe(true);

    const metrics = await evaluateModel(model, data.test);
    expect(Number.isFinite(metrics.bits_per_dim)).toBe(true);
    // nll_nats is of the 8-bit data: the density's on [0, 1] plus 784 · log 256 for the dequantization.
    const dequantization = 784 * Math.log(256);
    expect(metrics.nll_nats).toBeCloseTo(
      metrics.decoder_nll_nats + metrics.prior_nll_nats + dequantization,
      1,
    );

    const samples = model.sample(4, { seed: 5 });
    expect(samples.shape).toEqual([4, 28, 28, 1]);
    const pixels = values(samples.clone());
    expect(pixels.every(Number.isFinite)).toBe(true);
    expect(values(samples)).toEqual(values(vq.decodeCodes(model.prior.sample(4, { seed: 5 }))));

    // The checkpoint holds the VQ-VAE: it loads with the VQ-VAE's folder gone, with identical samples.
    rmSync(run, { recursive: true, force: true });
    const { model: loaded } = await loadModel(checkpointDirectory(join(out, 'checkpoint')));
    expect(values(loaded.sample(4, { seed: 5 }))).toEqual(values(model.sample(4, { seed: 5 })));
    expect(values((loaded as TwoStageVqVae).lowerBound(x))).toEqual(bound);

    // No leaks.
    const before = tf.memory().numTensors;
    tf.dispose([loaded.sample(2, { seed: 1 }), (loaded as TwoStageVqVae).lowerBound(x)]);
    tf.dispose(Object.values((loaded as TwoStageVqVae).evaluationMetrics({ x })));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    loaded.dispose();
    model.dispose();
    vq.dispose();
  });

  it('class-conditional prior; refuses a VQ-VAE of another shape or a missing one', async () => {
    const data = await loadDataset('mnist-10k', { dequantize: true, trainLimit: 64, testLimit: 32 });
    const run = join(dir, 'vqvae-2');
    const vq: VqVae = createVqVae({ codebookSize: K }, 1);
    await new Trainer({
      model: vq,
      modelRef: { name: 'vq-vae', plugin: vqVaePlugin },
      train: data.train,
      config: train(1),
      checkpoints: checkpointDirectory(join(run, 'checkpoint')),
      runInfo: { dataset: data.spec },
    }).run();
    vq.dispose();
    const model = createModel(
      'vq-vae-prior',
      { vqvae: run, prior: { ...PRIOR, conditional: true } },
      { eventShape: [28, 28, 1], numClasses: 10, seed: 0 },
    ) as TwoStageVqVae;
    expect(model.numClasses).toBe(10);
    await new Trainer({
      model,
      modelRef: { name: 'vq-vae-prior', plugin: vqVaePlugin },
      train: data.train,
      config: train(2),
    }).run();
    const condition = tf.oneHot(tf.tensor1d([0, 3, 7], 'int32'), 10) as tf.Tensor2D;
    const samples = model.sample(3, { seed: 2, condition });
    expect(samples.shape).toEqual([3, 28, 28, 1]);
    const metrics = await evaluateModel(model, data.test);
    expect(Number.isFinite(metrics.bits_per_dim)).toBe(true);
    tf.dispose([condition, samples]);
    model.dispose();

    expect(() => createModel('vq-vae-prior', { vqvae: run }, { eventShape: [32, 32, 1], seed: 0 })).toThrow(
      /train on the VQ-VAE's dataset/,
    );
    expect(() => createModel('vq-vae-prior', {}, { eventShape: [28, 28, 1], seed: 0 })).toThrow(
      /needs vqvae/,
    );
    expect(() =>
      createModel('vq-vae-prior', { vqvae: join(dir, 'nowhere') }, { eventShape: [28, 28, 1], seed: 0 }),
    ).toThrow(/no VQ-VAE checkpoint/);
  });
});
