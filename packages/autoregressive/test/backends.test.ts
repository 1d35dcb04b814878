/**
 * The wasm kernels the models run on (XNNPACK convolutions with explicit padding, the kernel pack's
 * filter and input gradients, fused matrix products) against the cpu backend: the same model (same seed)
 * gives the same log-likelihoods and parameter gradients on both (and every parameter gets a gradient).
 */
import { initBackend } from '@genzoo/backends';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, labels, type ModelName, tf } from './helpers.js';

afterAll(() => initBackend({ force: 'wasm', quiet: true }));

const x = Array.from({ length: 2 * 9 * 8 }, (_, i) => (((i * 7919) % 13) / 12 > 0.5 ? 1 : 0));

async function run(backend: 'cpu' | 'wasm', name: ModelName, config: Record<string, unknown>) {
  await initBackend({ force: backend, quiet: true });
  const model = createModel(name, config, { eventShape: [9, 8, 1], numClasses: 3 });
  const input = tf.tensor4d(x, [2, 9, 8, 1]);
  const condition = config.conditional ? labels(2, 3) : undefined;
  const map = config.mapChannels
    ? (tf.tensor4d(
        Array.from({ length: 2 * 9 * 8 * 2 }, (_, i) => Math.sin(i)),
        [2, 9, 8, 2],
      ) as tf.Tensor4D)
    : undefined;
  const vars = Object.values(model.variables()).filter((v) => v.trainable);
  const { value, grads } = tf.variableGrads(
    () => tf.neg(tf.sum(model.logProb(input, { condition, map }))) as tf.Scalar,
    vars,
  );
  const result = {
    nll: value.dataSync()[0],
    grads: vars.map((v) => Array.from(grads[v.name].dataSync())),
  };
  tf.dispose([value, input, condition, map, ...Object.values(grads)].filter((t) => t !== undefined));
  model.dispose();
  return result;
}

describe('wasm matches cpu', () => {
  it.each([
    ['pixelcnn', { channels: 8, residualBlocks: 2, firstKernel: 5, outputChannels: 8 }],
    ['gated-pixelcnn', { channels: 6, gatedLayers: 2, firstKernel: 5, outputChannels: 8, conditional: true }],
    ['gated-pixelcnn', { channels: 6, gatedLayers: 2, firstKernel: 3, outputChannels: 8, mapChannels: 2 }],
    ['made', { hidden: [32, 32], masks: 2 }],
    ['nade', { hidden: 16 }],
  ] as const)('%s: log-likelihood and gradients', async (name, config) => {
    const cpu = await run('cpu', name, config);
    const wasm = await run('wasm', name, config);
    expect(wasm.nll).toBeCloseTo(cpu.nll, 2);
    cpu.grads.forEach((g, i) => {
      const scale = Math.max(1e-3, ...g.map(Math.abs));
      const worst = Math.max(...g.map((v, j) => Math.abs(v - wasm.grads[i][j])));
      expect(worst / scale, `gradient ${i}`).toBeLessThan(1e-3);
    });
  });
});
