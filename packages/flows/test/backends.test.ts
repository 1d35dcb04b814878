/**
 * The wasm kernels the flows run on (XNNPACK convolutions, the kernel pack's filter and input gradients,
 * matrix products with transposed operands, 6-D transposes of the squeeze) against the cpu backend: the
 * same model (same seed, same random parameters) gives the same log-likelihoods, parameter gradients
 * and inverses on both.
 */
import { initBackend } from '@genzoo/backends';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type ModelName, randomize, tf } from './helpers.js';

afterAll(() => initBackend({ force: 'wasm', quiet: true }));

const pixels = Array.from({ length: 2 * 8 * 8 }, (_, i) => 0.05 + 0.9 * (((i * 7919) % 13) / 12));

async function run(backend: 'cpu' | 'wasm', name: ModelName, config: Record<string, unknown>) {
  await initBackend({ force: backend, quiet: true });
  const model = createModel(name, config, { eventShape: [8, 8, 1] });
  randomize(model.variables(), 7, 0.1);
  const input = tf.tensor4d(pixels, [2, 8, 8, 1]);
  const vars = Object.values(model.variables()).filter((v) => v.trainable);
  const { value, grads } = tf.variableGrads(() => tf.neg(tf.sum(model.logProb(input))) as tf.Scalar, vars);
  const samples = model.sample(2, { seed: 3 });
  const result = {
    nll: value.dataSync()[0],
    grads: vars.map((v) => Array.from(grads[v.name].dataSync())),
    samples: Array.from(samples.dataSync()),
  };
  tf.dispose([value, input, samples, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('wasm matches cpu', () => {
  it.each([
    [
      'realnvp',
      {
        levels: 2,
        couplingsPerScale: 2,
        finalCouplings: 2,
        features: 6,
        blocks: 1,
        actnorm: true,
        preprocess: 'logit',
      },
    ],
    ['glow', { levels: 2, steps: 2, features: 6 }],
    ['glow', { levels: 2, steps: 1, features: 6, conv1x1: 'plain', coupling: 'additive' }],
  ] as Array<[ModelName, Record<string, unknown>]>)(
    '%s %j: log-likelihood, gradients and samples',
    async (name, config) => {
      const cpu = await run('cpu', name, config);
      const wasm = await run('wasm', name, config);
      expect(Math.abs(wasm.nll - cpu.nll)).toBeLessThan(1e-4 * Math.abs(cpu.nll) + 1e-3);
      cpu.grads.forEach((g, i) => {
        const scale = Math.max(1e-3, ...g.map(Math.abs));
        const worst = Math.max(...g.map((v, j) => Math.abs(v - wasm.grads[i][j])));
        expect(worst / scale, `gradient ${i}`).toBeLessThan(1e-3);
      });
      const worstSample = Math.max(...cpu.samples.map((v, j) => Math.abs(v - wasm.samples[j])));
      expect(worstSample).toBeLessThan(1e-3);
    },
  );
});
