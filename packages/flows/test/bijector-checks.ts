/**
 * The checks every bijector passes — the ones a new layer by a plugin author should pass too:
 *
 * - invertibility: inverse(forward(x)) = x (and forward(inverse(y)) = y) to 1e-4 relative;
 * - forward and inverse log-dets sum to zero at corresponding points;
 * - the forward log-det equals log |det J| of the full Jacobian J = ∂f(x)/∂x, computed by autodiff over
 *   each output value (small dimensions only).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Bijector } from '../src/common/bijectors/bijector.js';
import { logAbsDeterminant, luDecompose } from '../src/common/linalg/lu.js';

/** max |a − b| / (max |b| + 1e-6) over all values. */
export function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const size = tf.max(tf.abs(b)).dataSync()[0];
    return diff / (size + 1e-6);
  });
}

export function expectInvertible(layer: Bijector, x: tf.Tensor, tolerance = 1e-4): void {
  tf.tidy(() => {
    const forward = layer.forward(x);
    const back = layer.inverse(forward.y);
    expect(relativeError(back.y, x), `${layer.name}: inverse(forward(x)) = x`).toBeLessThan(tolerance);
    const sum = tf.max(tf.abs(tf.add(forward.logDet, back.logDet))).dataSync()[0];
    const scale = tf.max(tf.abs(forward.logDet)).dataSync()[0];
    expect(sum, `${layer.name}: forward + inverse log-det = 0`).toBeLessThan(tolerance * (scale + 1) * 10);
    // And the other way round, from latents.
    const again = layer.forward(back.y);
    expect(relativeError(again.y, forward.y), `${layer.name}: forward(inverse(y)) = y`).toBeLessThan(
      tolerance,
    );
  });
}

/** log |det ∂f(x)/∂x| for one example x [1, ...inputShape], by one gradient per output value. */
export function numericalLogDet(layer: Bijector, x: tf.Tensor): number {
  const inputs = x.size;
  const outputs = layer.outputShape.reduce((a, b) => a * b, 1);
  if (inputs !== outputs) throw new Error(`${layer.name}: ${inputs} inputs, ${outputs} outputs`);
  const jacobian = new Float64Array(inputs * outputs);
  for (let i = 0; i < outputs; i++) {
    const row = tf.tidy(() =>
      tf
        .grad((input: tf.Tensor) => tf.sum(tf.slice(tf.reshape(layer.forward(input).y, [-1]), [i], [1])))(x)
        .dataSync(),
    );
    jacobian.set(row, i * inputs);
  }
  return logAbsDeterminant(luDecompose(jacobian, inputs));
}

/** The forward log-det of each of the first `examples` rows of x against the numerical Jacobian's. */
export function expectLogDetMatchesJacobian(
  layer: Bijector,
  x: tf.Tensor,
  examples = 2,
  tolerance = 2e-3,
): void {
  for (let n = 0; n < examples; n++) {
    const one = tf.slice(x, [n], [1]);
    const claimed = tf.tidy(() => layer.forward(one).logDet.dataSync()[0]);
    const numerical = numericalLogDet(layer, one);
    one.dispose();
    expect(
      Math.abs(claimed - numerical),
      `${layer.name}: log-det ${claimed} vs numerical ${numerical}`,
    ).toBeLessThan(tolerance * (1 + Math.abs(numerical)));
  }
}

/** Both checks. */
export function expectValidBijector(layer: Bijector, x: tf.Tensor): void {
  expectInvertible(layer, x);
  expectLogDetMatchesJacobian(layer, x);
}
