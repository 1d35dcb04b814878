/**
 * BatchNorm's `fused` training mode (one op with its gradient written out) against the plain one: the same
 * outputs, the same gradients in x, γ and β, and the same running statistics.
 */
import '@tensorflow/tfjs-backend-cpu';
import '../src/gradients/register.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from '../src/nn/batch-norm.js';
import { ParameterStore } from '../src/nn/params.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('BatchNorm fused', () => {
  it('normalizes, differentiates and tracks statistics as the plain layer does', () => {
    const plainStore = new ParameterStore('plain', 1);
    const fusedStore = new ParameterStore('fused', 1);
    const plain = new BatchNorm(plainStore, 'bn', 3);
    const fused = new BatchNorm(fusedStore, 'bn', 3, { fused: true });
    for (const layer of [plain, fused]) {
      layer.gamma.assign(tf.tensor1d([0.5, 2, -1]));
      layer.beta.assign(tf.tensor1d([0.1, 0, 3]));
    }
    const x = tf.add(tf.mul(tf.randomNormal([4, 5, 6, 3], 0, 1, 'float32', 3), 2), 1) as tf.Tensor4D;
    const weights = tf.randomNormal([4, 5, 6, 3], 0, 1, 'float32', 4);
    const loss = (layer: BatchNorm) => (input: tf.Tensor) =>
      tf.sum(tf.mul(layer.apply(input, true), weights));
    const run = (layer: BatchNorm) =>
      tf.tidy(() => {
        const y = layer.apply(x, true);
        const dx = tf.grad(loss(layer))(x);
        const { grads } = tf.variableGrads(() => loss(layer)(x) as tf.Scalar, [layer.gamma, layer.beta]);
        return [y, dx, grads[layer.gamma.name], grads[layer.beta.name]];
      });
    const a = run(plain);
    const b = run(fused);
    a.forEach((t, i) => {
      expect(maxDifference(t, b[i]), `output ${i}`).toBeLessThan(1e-4);
    });
    // Three training-mode calls each: the running averages moved alike.
    expect(maxDifference(plain.runningMean!, fused.runningMean!)).toBeLessThan(1e-5);
    expect(maxDifference(plain.runningVariance!, fused.runningVariance!)).toBeLessThan(1e-4);
    expect(maxDifference(plain.runningMean!, tf.zeros([3]))).toBeGreaterThan(0.05);
    tf.dispose([...a, ...b, x, weights]);
    plainStore.dispose();
    fusedStore.dispose();
  });
});
