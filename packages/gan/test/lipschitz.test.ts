/**
 * The critic's Lipschitz constraint: WGAN-GP's penalty gradient w.r.t. the critic's weights (a
 * second-order gradient) against central finite differences, for an MLP and a convolutional critic on
 * wasm; WGAN's weight clipping keeps every critic weight within ±c through training steps.
 */
import {
  type Batch,
  Conv2D,
  createOptimizer,
  Dense,
  type GradientPlayer,
  gradientUpdate,
  ParameterStore,
} from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DISCRIMINATOR } from '../src/common/players.js';
import { gradientPenalty } from '../src/wgan-gp/model.js';
import { createModel, SMALL_DCGAN, tf, useWasm } from './helpers.js';

beforeAll(useWasm);

/**
 * ∂P/∂θ of the penalty P(θ) by autodiff against central differences on a few entries of every weight.
 * Piecewise-linear critics make P piecewise smooth in θ: a difference quotient that straddles a kink of
 * some unit's activation is wrong, so the convolutional case uses a smooth (softplus) critic.
 */
function expectPenaltyGradientMatches(
  critic: (x: tf.Tensor) => tf.Tensor1D,
  variables: tf.Variable[],
  eventShape: readonly number[],
): void {
  const shape = [5, ...eventShape];
  const real = tf.randomNormal(shape, 0, 1, 'float32', 1);
  const fake = tf.randomNormal(shape, 0.5, 1, 'float32', 2);
  const penalty = () => gradientPenalty(critic, real, fake, 10, 3).penalty;
  const analytic = tf.tidy(() => {
    const { grads } = tf.variableGrads(penalty, variables);
    return variables.map((v) => grads[v.name]?.dataSync() ?? new Float32Array(v.size));
  });
  const epsilon = 1e-2;
  let checked = 0;
  variables.forEach((v, k) => {
    for (const index of [0, Math.floor(v.size / 2), v.size - 1]) {
      const at = (delta: number) =>
        tf.tidy(() => {
          const flat = tf.reshape(v, [-1]).bufferSync();
          flat.set(flat.get(index) + delta, index);
          const original = v.clone();
          v.assign(tf.reshape(flat.toTensor(), v.shape));
          const value = penalty().dataSync()[0];
          v.assign(original);
          return value;
        });
      const numeric = (at(epsilon) - at(-epsilon)) / (2 * epsilon);
      const exact = analytic[k][index];
      expect(Math.abs(numeric - exact), `${v.name}[${index}]`).toBeLessThan(
        2e-2 * Math.max(1, Math.abs(exact)),
      );
      checked++;
    }
  });
  expect(checked).toBe(3 * variables.length);
  tf.dispose([real, fake]);
}

describe('gradient penalty', () => {
  it("its gradient w.r.t. the weights of wgan-gp's MLP critic matches finite differences", () => {
    const network = { kind: 'mlp', generatorHidden: [16], discriminatorHidden: [16, 16] };
    const model = createModel('wgan-gp', { latentDim: 4, network }, { eventShape: [6] });
    const critic = model.trainingPlan().players.find((p) => p.name === DISCRIMINATOR) as GradientPlayer;
    expectPenaltyGradientMatches((x) => model.discriminate(x), critic.variables(), [6]);
    model.dispose();
  });

  it('its gradient w.r.t. the weights of a convolutional critic matches finite differences', () => {
    const store = new ParameterStore('critic', 5);
    const conv0 = new Conv2D(store, 'conv0', 1, 4, { kernelSize: 4, stride: 2 });
    const conv1 = new Conv2D(store, 'conv1', 4, 8, { kernelSize: 4, stride: 2 });
    const head = new Dense(store, 'head', 2 * 2 * 8, 1);
    const critic = (x: tf.Tensor) => {
      const h = tf.softplus(conv1.apply(tf.softplus(conv0.apply(x as tf.Tensor4D))));
      return tf.reshape(head.apply(tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D), [-1]) as tf.Tensor1D;
    };
    expectPenaltyGradientMatches(critic, store.trainable(), [8, 8, 1]);
    store.dispose();
  });
});

describe('weight clipping', () => {
  it('keeps every critic weight within ±c after each update', async () => {
    const clip = 0.01;
    const model = createModel(
      'wgan',
      { latentDim: 4, clip, network: SMALL_DCGAN },
      { eventShape: [8, 8, 1] },
    );
    const critic = model.trainingPlan().players.find((p) => p.name === DISCRIMINATOR) as GradientPlayer;
    const variables = critic.variables();
    const optimizer = createOptimizer({
      name: 'rmsprop',
      learningRate: 0.05,
      decay: 0.9,
      momentum: 0,
      epsilon: 1e-8,
    });
    const largest = () => Math.max(...variables.map((v) => tf.tidy(() => tf.max(tf.abs(v)).dataSync()[0])));
    expect(largest()).toBeGreaterThan(clip);
    for (let step = 0; step < 5; step++) {
      const batch: Batch = { x: tf.randomUniform([8, 8, 8, 1], -1, 1, 'float32', step) };
      await gradientUpdate({ player: critic, variables, optimizer }, batch, { step, nextSeed: () => step });
      batch.x.dispose();
      expect(largest()).toBeLessThanOrEqual(clip + 1e-7);
    }
    optimizer.dispose();
    model.dispose();
  });
});
