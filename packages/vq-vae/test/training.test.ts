import { withBackend } from '@genzoo/backends';
import { loadModel, memoryCheckpointStorage, registerPlugin, Trainer, trainConfigSchema } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { checkModelLeaks, recipeCases, smokeRecipe } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
// The Node entry: second-stage recipes read their first stage's checkpoint folder.
import { vqVaePlugin } from '../src/node.js';
import type { VqVae } from '../src/vq-vae/model.js';
import { createVqVae, stepContext, tf, useWasm, values } from './helpers.js';

beforeAll(async () => {
  await useWasm();
  registerPlugin(vqVaePlugin);
});

const MODEL_REF = { name: 'vq-vae', plugin: vqVaePlugin };

describe('training on mnist-10k', () => {
  it('uses more than half of the codes, evaluates, and loads back with identical reconstructions and samples', async () => {
    const data = await loadDataset('mnist-10k', { dequantize: true, testLimit: 256 });
    const config = {
      codebookSize: 32,
      codeDim: 8,
      hidden: [16, 32],
      residualBlocks: 1,
      residualChannels: 16,
    };
    const model = createVqVae(config, 0);
    const checkpoints = memoryCheckpointStorage();
    const trainer = new Trainer({
      model,
      modelRef: MODEL_REF,
      train: data.train,
      config: trainConfigSchema.parse({
        steps: 150,
        batchSize: 64,
        seed: 0,
        optimizer: { name: 'adam', learningRate: 1e-3 },
      }),
      checkpoints,
    });
    const result = await trainer.run();
    expect(result.steps).toBe(150);

    const x = data.test.getBatch(Int32Array.from({ length: 256 }, (_, i) => i)).x;
    const codes = model.encodeCodes(x);
    expect(codes.shape).toEqual([256, 7, 7]);
    const used = new Set(values(codes.clone())).size;
    expect(used).toBeGreaterThan(32 / 2);

    const metrics = await evaluateModel(model, data.test, { limit: 256 });
    expect(metrics.recon_mse).toBeGreaterThan(0);
    expect(metrics.recon_mse).toBeLessThan(0.06);
    expect(metrics.perplexity).toBeGreaterThan(1);
    expect(Number.isFinite(metrics.nll_nats)).toBe(true);
    expect(metrics.nll_nats).toBeCloseTo(-metrics.elbo, 3);

    const { model: loaded } = await loadModel(checkpoints);
    const reloaded = loaded as VqVae;
    expect(values(reloaded.reconstruct(x))).toEqual(values(model.reconstruct(x)));
    expect(values(reloaded.sample(8, { seed: 3 }))).toEqual(values(model.sample(8, { seed: 3 })));
    expect(values(reloaded.encodeCodes(x))).toEqual(values(codes.clone()));
    expect(values(reloaded.decodeCodes(codes))).toEqual(values(model.decodeCodes(codes)));
    tf.dispose([x, codes]);
    reloaded.dispose();
    model.dispose();
    // Reported for the record (calibration of the test): codes used of K = 32 after 150 steps (EMA codebook).
    console.log(
      `codes used ${used}/32, test recon_mse ${metrics.recon_mse.toFixed(4)}, ${result.seconds.toFixed(1)} s`,
    );
  }, 120_000);

  it('trains with EMA codebook updates (the codebook is not a gradient variable)', async () => {
    const model = createVqVae();
    const plan = model.trainingPlan();
    const player = plan.players[0];
    if (player.kind !== 'gradient') throw new Error('expected a gradient player');
    expect(player.variables()).not.toContain(model.quantizer.codebook);
    const before = values(model.quantizer.codebook.clone());
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 2);
    tf.tidy(() => {
      player.objective.compute({ x }, stepContext(0));
    });
    expect(values(model.quantizer.codebook.clone())).not.toEqual(before);
    x.dispose();
    model.dispose();
  });

  it('trains the codebook by the loss when asked (then it is a gradient variable)', () => {
    const model = createVqVae({ codebook: { update: 'loss' } });
    const player = model.trainingPlan().players[0];
    if (player.kind !== 'gradient') throw new Error('expected a gradient player');
    expect(player.variables()).toContain(model.quantizer.codebook);
    expect(model.quantizer.clusterSize).toBeUndefined();
    model.dispose();
  });
});

describe('backends', () => {
  it('wasm = cpu on a forward and backward pass', async () => {
    const run = () =>
      tf.tidy(() => {
        const model = createVqVae({}, 4);
        const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 9);
        const player = model.trainingPlan().players[0];
        if (player.kind !== 'gradient') throw new Error('expected a gradient player');
        const { value, grads } = tf.variableGrads(
          () => player.objective.compute({ x }, stepContext(0)).loss,
          player.variables(),
        );
        const out = [
          value.dataSync()[0],
          ...player.variables().flatMap((v) => Array.from(grads[v.name].dataSync())),
        ];
        model.dispose();
        return out;
      });
    const cpu = await withBackend('cpu', run);
    const wasm = await withBackend('wasm', run);
    expect(wasm.length).toBe(cpu.length);
    const scale = Math.max(...cpu.map(Math.abs));
    const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i])));
    expect(worst / scale).toBeLessThan(1e-4);
  }, 60_000);
});

describe.each(recipeCases(vqVaePlugin))('%s', (_id, name, recipe) => {
  // Short runs in small batches: the smoke checks, not the recipe's training.
  const small = { ...recipe, train: { ...recipe.train, batchSize: 16 }, quick: undefined };
  it('trains, samples, saves and loads', async () => {
    const report = await smokeRecipe(vqVaePlugin, name, small, { steps: 3 });
    expect(report.sampleShape).toEqual([4, 28, 28, 1]);
    expect(report.meanLogLikelihood).toBeGreaterThan(-1e5);
  }, 60_000);
  it('does not leak tensors', async () => {
    await checkModelLeaks(vqVaePlugin, name, small);
  }, 60_000);
});
