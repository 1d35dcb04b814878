/**
 * Goodfellow et al. 2014, Proposition 1: for a fixed generator the optimal discriminator is
 *   D*(x) = p_data(x) / (p_data(x) + p_G(x)).
 * In 1-D with data N(0, 1) and a linear generator G(z) = a·z + b (so p_G = N(b, a²) exactly), training only
 * the discriminator player on fresh batches must bring D(x) close to D*(x) where both densities have mass.
 */
import {
  type Batch,
  createOptimizer,
  type GradientPlayer,
  gradientUpdate,
  optimizerConfigSchema,
} from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const normalDensity = (x: number, mean: number, std: number) =>
  Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI));

describe('the optimal discriminator', () => {
  it('with G fixed, D approaches p_data / (p_data + p_G)', async () => {
    const [a, b] = [0.5, 1.5];
    const model = createModel(
      'gan',
      {
        latentDim: 1,
        output: 'linear',
        network: { kind: 'mlp', generatorHidden: [], discriminatorHidden: [32, 32] },
      },
      { eventShape: [1] },
    );
    const variables = model.variables();
    tf.tidy(() => {
      variables['generator/net/out/kernel'].assign(tf.tensor2d([[a]]));
      variables['generator/net/out/bias'].assign(tf.tensor1d([b]));
    });
    const player = model.trainingPlan().players[0] as GradientPlayer;
    const trainable = player.variables();
    const before = tf.memory().numTensors;
    const optimizer = createOptimizer(optimizerConfigSchema.parse({ name: 'adam', learningRate: 3e-3 }));
    for (let step = 0; step < 1500; step++) {
      const batch: Batch = { x: tf.randomNormal([256, 1], 0, 1, 'float32', 1000 + step) };
      let call = 0;
      await gradientUpdate({ player, variables: trainable, optimizer }, batch, {
        step,
        nextSeed: () => 7 * step + call++,
      });
      batch.x.dispose();
    }
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const grid = Array.from({ length: 21 }, (_, i) => -1.5 + (3.5 * i) / 20);
    const learned = tf.tidy(() =>
      tf.sigmoid(model.discriminate(tf.tensor2d(grid, [grid.length, 1]))).dataSync(),
    );
    const errors = grid.map((x, i) => {
      const pData = normalDensity(x, 0, 1);
      const optimal = pData / (pData + normalDensity(x, b, a));
      return Math.abs(learned[i] - optimal);
    });
    expect(Math.max(...errors)).toBeLessThan(0.05);
    expect(errors.reduce((s, e) => s + e, 0) / errors.length).toBeLessThan(0.015);
    model.dispose();
  });
});
