/**
 * Second-order gradients through piecewise-linear activations: the WGAN-GP penalty
 *   P = mean_i (‖∇ₓD(x̂_i)‖₂ − 1)²
 * differentiated w.r.t. D's weights, on wasm and cpu, against each other and against a closed form.
 */

import { type Activation, MLP, ParameterStore, Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, withBackend } from '../src/index.js';

const BATCH = 6;
const DIM = 5;

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale + 1e-6);
}

function points(seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: BATCH * DIM }, () => rng.normal());
}

/** P(θ) for an MLP critic; D(x) rows are independent, so ∇ₓ Σᵢ D(xᵢ) holds every per-sample gradient. */
function penalty(critic: MLP, x: tf.Tensor2D): tf.Scalar {
  const grad = tf.grad((input: tf.Tensor) => tf.sum(critic.apply(input as tf.Tensor2D)))(x);
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), 1), 1e-12));
  return tf.mean(tf.square(tf.sub(norms, 1)));
}

/** ∂P/∂θ for every weight of a critic with the given sizes and activation, on one backend. */
function penaltyGradients(
  backend: 'wasm' | 'cpu',
  sizes: number[],
  activation: Activation,
  x: Float32Array,
): Promise<{ weights: Float32Array[]; values: Float32Array[] }> {
  return withBackend(backend, () => {
    const params = new ParameterStore('critic', 42);
    const critic = new MLP(params, 'd', sizes, activation);
    const variables = params.trainable();
    const before = tf.memory().numTensors;
    const result = tf.tidy(() => {
      const input = tf.tensor2d(x, [BATCH, DIM]);
      const { grads } = tf.variableGrads(() => penalty(critic, input), variables);
      return {
        weights: variables.map((v) => v.dataSync() as Float32Array),
        // The last bias does not move ∇ₓD, and tfjs returns no gradient for it.
        values: variables.map((v) => (grads[v.name]?.dataSync() as Float32Array) ?? new Float32Array(v.size)),
      };
    });
    expect(tf.memory().numTensors).toBe(before);
    params.dispose();
    return result;
  });
}

beforeAll(async () => {
  await initBackend({ force: 'wasm', quiet: true });
});

describe('WGAN-GP penalty gradient w.r.t. the critic weights', () => {
  it.each([
    ['leakyRelu', [DIM, 16, 16, 1]],
    ['relu', [DIM, 16, 1]],
    ['elu', [DIM, 16, 16, 1]],
    ['tanh', [DIM, 16, 16, 1]],
  ] as const)('works through %s on wasm and cpu, and they agree', async (activation, sizes) => {
    const x = points(1);
    const wasm = await penaltyGradients('wasm', [...sizes], activation, x);
    const cpu = await penaltyGradients('cpu', [...sizes], activation, x);
    for (let i = 0; i < cpu.values.length; i++) {
      expect(relativeError(wasm.values[i], cpu.values[i])).toBeLessThan(1e-4);
    }
    expect(Math.max(...cpu.values[0].map(Math.abs))).toBeGreaterThan(0);
  });

  // D(x) = v·σ(xW + b) + c. With hᵢ = xᵢW + b, gᵢ = ∇ₓD(xᵢ) = W (σ'(hᵢ) ⊙ v) and cᵢ = 2(‖gᵢ‖ − 1)/‖gᵢ‖:
  //   ∂P/∂v = (1/B) Σᵢ cᵢ · σ'(hᵢ) ⊙ (Wᵀgᵢ),   ∂P/∂b = (1/B) Σᵢ cᵢ · σ''(hᵢ) ⊙ v ⊙ (Wᵀgᵢ).
  // ∂P/∂b is zero for leakyRelu and, for the smooth activations, exactly the term that tfjs drops when
  // a gradient reuses the op's saved output.
  const sigmoid = (h: number) => 1 / (1 + Math.exp(-h));
  const derivatives: Record<string, (h: number) => [number, number]> = {
    leakyRelu: (h) => [h > 0 ? 1 : 0.2, 0],
    tanh: (h) => {
      const t = Math.tanh(h);
      return [1 - t * t, -2 * t * (1 - t * t)];
    },
    sigmoid: (h) => {
      const y = sigmoid(h);
      return [y * (1 - y), y * (1 - y) * (1 - 2 * y)];
    },
    elu: (h) => (h > 0 ? [1, 0] : [Math.exp(h), Math.exp(h)]),
  };
  it.each(Object.keys(derivatives))(
    'matches the closed form for a one-hidden-layer %s critic on wasm and cpu',
    async (activation) => {
      const hidden = 8;
      const x = points(2);
      for (const backend of ['wasm', 'cpu'] as const) {
        const { weights, values } = await penaltyGradients(
          backend,
          [DIM, hidden, 1],
          activation as Activation,
          x,
        );
        const [w, b, v] = weights; // dense0 kernel [DIM, hidden] and bias, dense1 kernel [hidden, 1]
        const dv = new Float64Array(hidden);
        const db = new Float64Array(hidden);
        for (let i = 0; i < BATCH; i++) {
          const sigma = Array.from({ length: hidden }, (_, j) => {
            let h = b[j];
            for (let d = 0; d < DIM; d++) h += x[i * DIM + d] * w[d * hidden + j];
            return derivatives[activation](h);
          });
          const g = Array.from({ length: DIM }, (_, d) => {
            let sum = 0;
            for (let j = 0; j < hidden; j++) sum += w[d * hidden + j] * sigma[j][0] * v[j];
            return sum;
          });
          const norm = Math.hypot(...g);
          const c = (2 * (norm - 1)) / norm / BATCH;
          for (let j = 0; j < hidden; j++) {
            let wtg = 0;
            for (let d = 0; d < DIM; d++) wtg += w[d * hidden + j] * g[d];
            dv[j] += c * sigma[j][0] * wtg;
            db[j] += c * sigma[j][1] * v[j] * wtg;
          }
        }
        // One scale for both: ∂P/∂b is legitimately ~0 for leakyRelu.
        const scale = Math.max(...dv.map(Math.abs), ...db.map(Math.abs));
        const error = (a: ArrayLike<number>, e: Float64Array) =>
          Math.max(...e.map((value, j) => Math.abs(a[j] - value))) / scale;
        expect(error(values[2], dv)).toBeLessThan(1e-4);
        expect(error(values[1], db)).toBeLessThan(1e-4);
      }
    },
  );

  it('works through maximum and minimum (their gradients compare a with b)', async () => {
    const x = points(3);
    const run = (backend: 'wasm' | 'cpu') =>
      withBackend(backend, () =>
        tf.tidy(() => {
          const w = tf.tensor2d(points(4).slice(0, DIM * 3), [DIM, 3]);
          const input = tf.tensor2d(x, [BATCH, DIM]);
          const critic = (weights: tf.Tensor) => (z: tf.Tensor) => {
            const h = tf.matMul(z as tf.Tensor2D, weights as tf.Tensor2D);
            return tf.sum(tf.minimum(tf.maximum(h, tf.mul(h, 0.3)), 1));
          };
          const loss = (weights: tf.Tensor) =>
            tf.sum(tf.square(tf.grad(critic(weights))(input))) as tf.Scalar;
          return tf.grad(loss)(w).dataSync() as Float32Array;
        }),
      );
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-4);
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0);
  });
});

describe('second derivatives of elementwise ops', () => {
  const xs = [-2, -0.7, -0.1, 0.3, 1.5];
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor, (x: number) => number]> = [
    ['elu', tf.elu, (x) => (x < 0 ? Math.exp(x) : 0)],
    ['tanh', tf.tanh, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ['sigmoid', tf.sigmoid, (x) => sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x))],
    ['exp', tf.exp, Math.exp],
  ];
  it.each(cases)("d²/dx² %s(x) matches f''(x) on wasm and cpu", async (_, f, second) => {
    for (const backend of ['wasm', 'cpu'] as const) {
      const values = await withBackend(backend, () => {
        const x = tf.tensor1d(xs);
        const firstDerivative = (t: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.sum(f(u)))(t);
        const result = tf.grad((t: tf.Tensor) => tf.sum(firstDerivative(t)))(x);
        const data = result.dataSync();
        tf.dispose([x, result]);
        return data;
      });
      xs.forEach((x, i) => {
        expect(values[i]).toBeCloseTo(second(x), 4);
      });
    }
  });

  it('softmax: the Hessian-vector product of wᵀsoftmax(x) matches its closed form', async () => {
    // f = wᵀy, y = softmax(x), ȳ = wᵀy, gₖ = yₖ(wₖ − ȳ): Hᵢₖ = yᵢ(δᵢₖ − yₖ)(wᵢ − ȳ) − yᵢgₖ.
    const x = [0.3, -1.2, 0.8, 0.1];
    const w = [1.5, -0.5, 0.25, 2];
    const u = [0.2, 1, -0.7, 0.4];
    const y = x.map(Math.exp);
    const z = y.reduce((a, b) => a + b, 0);
    for (let i = 0; i < y.length; i++) y[i] /= z;
    const mean = y.reduce((a, yi, i) => a + yi * w[i], 0);
    const g = y.map((yk, k) => yk * (w[k] - mean));
    const expected = y.map((yi, i) =>
      u.reduce((acc, uk, k) => acc + (yi * ((i === k ? 1 : 0) - y[k]) * (w[i] - mean) - yi * g[k]) * uk, 0),
    );
    for (const backend of ['wasm', 'cpu'] as const) {
      const values = await withBackend(backend, () =>
        Array.from(
          tf.tidy(() => {
            const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor1d(w)));
            const hu = (t: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(t), tf.tensor1d(u)));
            return tf.grad(hu)(tf.tensor1d(x)).dataSync();
          }),
        ),
      );
      values.forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i], 5);
      });
    }
  });
});
