/**
 * The wasm kernels the GANs run on (XNNPACK convolutions, the kernel pack's filter and input gradients,
 * second-order gradients through them for the penalty) against the cpu backend: the same model gives the
 * same discriminator and generator losses and gradients on both.
 */

import { initBackend } from '@genzoo/backends';
import type { Batch, GradientPlayer } from '@genzoo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type ModelName, SMALL_DCGAN, tf } from './helpers.js';

afterAll(() => initBackend({ force: 'wasm', quiet: true }));

const pixels = Array.from({ length: 4 * 8 * 8 }, (_, i) => -0.9 + 1.8 * (((i * 7919) % 13) / 12));

async function run(backend: 'cpu' | 'wasm', name: ModelName, config: Record<string, unknown>) {
  await initBackend({ force: backend, quiet: true });
  const model = createModel(name, config, { eventShape: [8, 8, 1] });
  const batch: Batch = { x: tf.tensor4d(pixels, [4, 8, 8, 1]) };
  const results = model.trainingPlan().players.map((p) => {
    const player = p as GradientPlayer;
    const vars = player.variables();
    let call = 0;
    const context = { step: 0, nextSeed: () => 11 + call++ };
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => player.objective.compute(batch, context).loss, vars);
      return {
        loss: value.dataSync()[0],
        grads: vars.map((v) => Array.from(grads[v.name]?.dataSync() ?? [])),
      };
    });
  });
  batch.x.dispose();
  model.dispose();
  return results;
}

describe('wasm matches cpu', () => {
  it.each([
    ['dcgan', { latentDim: 6, network: SMALL_DCGAN }],
    ['wgan-gp', { latentDim: 6, network: { ...SMALL_DCGAN, discriminatorBatchNorm: false } }],
  ] as const)('%s losses and gradients of both players', async (name, config) => {
    const wasm = await run('wasm', name, config);
    const cpu = await run('cpu', name, config);
    wasm.forEach((player, p) => {
      expect(player.loss).toBeCloseTo(cpu[p].loss, 4);
      player.grads.forEach((g, i) => {
        const scale = Math.max(1e-3, ...cpu[p].grads[i].map(Math.abs));
        const error = Math.max(0, ...g.map((v, j) => Math.abs(v - cpu[p].grads[i][j])));
        expect(error / scale).toBeLessThan(1e-3);
      });
    });
  });
});
