/**
 * The webgpu backend (forced: on CPU machines its adapter is Mesa's lavapipe) against the cpu backend
 * (tfjs's reference kernels): every kernel genzoo's models use, forward and backward, the second-order
 * gradients of gradient penalties, and a few Adam steps of a small conv net.
 *
 * Without an adapter (no `webgpu` package, or no Vulkan driver) the file is skipped, saying why — except
 * in CI, which installs lavapipe (.ci/run), where a missing adapter fails it.
 */

import {
  createOptimizer,
  type GradientPlayer,
  gradientUpdate,
  MLP,
  optimizerConfigSchema,
  ParameterStore,
  Random,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BackendInfo, initBackend, withBackend } from '../src/index.js';

const CI = process.env.CI === 'true';

/** The forced webgpu backend, or why there is none here. */
const webgpu: BackendInfo | string = await initBackend({ force: 'webgpu', quiet: true }).catch(
  (error: Error) => error.message,
);
const missing = typeof webgpu === 'string' ? webgpu : undefined;
if (missing !== undefined && !CI) console.warn(`kernels-webgpu: skipped, no WebGPU adapter here: ${missing}`);

/** Largest absolute difference over the largest magnitude of `expected`. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / (scale + 1e-6);
}

function values(seed: number, shape: number[], positive = false): tf.Tensor {
  const rng = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => (positive ? 0.1 + Math.abs(rng.normal()) : rng.normal())),
    shape,
  );
}

/** Reads tensors back (webgpu has no synchronous read in Node) and disposes of them. */
async function read(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const data = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return data;
}

type Op = (...inputs: tf.Tensor[]) => tf.Tensor;

/** `op` on seeded inputs, and the gradient of Σ op(inputs)·r w.r.t. every input, on one backend. */
function forwardAndBackward(
  backend: 'webgpu' | 'cpu',
  shapes: number[][],
  op: Op,
  positive: boolean,
): Promise<Float32Array[]> {
  return withBackend(backend, () => {
    expect(tf.getBackend()).toBe(backend);
    const outputs = tf.tidy(() => {
      const inputs = shapes.map((shape, i) => values(10 + i, shape, positive));
      const y = op(...inputs);
      const r = values(99, y.shape);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(op(...xs), r)))(inputs);
      return [y, ...grads];
    });
    return read(outputs);
  });
}

/** Forward values and gradients agree with cpu within a relative error of 1e-4. */
async function expectSameAsCpu(shapes: number[][], op: Op, positive = false): Promise<void> {
  const gpu = await forwardAndBackward('webgpu', shapes, op, positive);
  const cpu = await forwardAndBackward('cpu', shapes, op, positive);
  const names = ['forward', ...shapes.map((_, i) => `gradient ${i}`)];
  for (let i = 0; i < cpu.length; i++) {
    expect(Math.max(...cpu[i].map(Math.abs)), `${names[i]} is not all zeros`).toBeGreaterThan(0);
    expect(relativeError(gpu[i], cpu[i]), names[i]).toBeLessThan(1e-4);
  }
}

const cases = (entries: Array<[string, number[][], Op]>) => entries;

describe.skipIf(missing !== undefined && !CI)('webgpu (forced) against cpu', () => {
  beforeAll(() => {
    if (missing !== undefined) throw new Error(`CI installs lavapipe (.ci/run), yet webgpu: ${missing}`);
    // tfjs-backend-webgpu runs ops on inputs still on the CPU below 1000 elements with the cpu backend's
    // code, which would compare cpu with itself here: every op runs on the GPU instead.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  });
  afterAll(async () => {
    await initBackend({ force: 'cpu', quiet: true });
  });

  it('runs on a described adapter', () => {
    const info = webgpu as BackendInfo;
    expect(info).toMatchObject({
      name: 'webgpu',
      tfName: 'webgpu',
      package: '@tensorflow/tfjs-backend-webgpu',
    });
    expect(info.adapter?.vendor).not.toBe('');
    console.info(`kernels-webgpu: adapter ${JSON.stringify(info.adapter)}`);
  });

  it.each(
    cases([
      [
        'matMul',
        [
          [7, 13],
          [13, 5],
        ],
        (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      ],
      [
        'matMul Aᵀ',
        [
          [13, 7],
          [13, 5],
        ],
        (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true),
      ],
      [
        'matMul Bᵀ',
        [
          [7, 13],
          [5, 13],
        ],
        (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true),
      ],
      [
        'matMul AᵀBᵀ',
        [
          [13, 7],
          [5, 13],
        ],
        (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true),
      ],
      [
        'batched matMul',
        [
          [3, 6, 9],
          [3, 9, 4],
        ],
        (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
      ],
      [
        'dense layer (fused matMul + bias + relu)',
        [[8, 33], [33, 17], [17]],
        (x, w, b) => tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b)),
      ],
    ]),
  )('%s and its gradients', async (_, shapes, op) => {
    await expectSameAsCpu(shapes, op);
  });

  describe('convolutions and their gradients (both backprops)', () => {
    const convs = [
      { h: 9, cin: 3, cout: 4, k: 3, stride: 1, pad: 'same' },
      { h: 9, cin: 3, cout: 4, k: 3, stride: 1, pad: 'valid' },
      { h: 14, cin: 2, cout: 5, k: 4, stride: 2, pad: 'same' },
      { h: 13, cin: 4, cout: 3, k: 5, stride: 2, pad: 'valid' },
    ] as const;
    const label = ({ h, cin, cout, k, stride, pad }: (typeof convs)[number]) =>
      `${h}×${h}×${cin} → ${cout}, ${k}×${k}, stride ${stride}, ${pad}`;

    it.each(convs.map((c) => [label(c), c] as const))('conv2d %s', async (_, c) => {
      await expectSameAsCpu(
        [
          [2, c.h, c.h, c.cin],
          [c.k, c.k, c.cin, c.cout],
        ],
        (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad),
      );
    });

    it.each(convs.map((c) => [label(c), c] as const))('conv2dTranspose %s', async (_, c) => {
      // The transpose of the convolution above: its output has the convolution's input shape.
      const out = c.pad === 'same' ? Math.ceil(c.h / c.stride) : Math.ceil((c.h - c.k + 1) / c.stride);
      await expectSameAsCpu(
        [
          [2, out, out, c.cout],
          [c.k, c.k, c.cin, c.cout],
        ],
        (y, f) =>
          tf.conv2dTranspose(y as tf.Tensor4D, f as tf.Tensor4D, [2, c.h, c.h, c.cin], c.stride, c.pad),
      );
    });

    it.each(convs.map((c) => [label(c), c] as const))('depthwiseConv2d %s', async (_, c) => {
      await expectSameAsCpu(
        [
          [2, c.h, c.h, c.cin],
          [c.k, c.k, c.cin, 2],
        ],
        (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad),
      );
    });
  });

  it.each(
    cases([
      ['add (broadcast)', [[4, 6], [6]], tf.add],
      [
        'sub (broadcast)',
        [
          [4, 1],
          [4, 6],
        ],
        tf.sub,
      ],
      [
        'mul',
        [
          [4, 6],
          [4, 6],
        ],
        tf.mul,
      ],
      [
        'div',
        [
          [4, 6],
          [4, 6],
        ],
        tf.div,
      ],
      ['exp', [[5, 7]], tf.exp],
      ['softplus', [[5, 7]], tf.softplus],
      ['sigmoid', [[5, 7]], tf.sigmoid],
      ['tanh', [[5, 7]], tf.tanh],
      ['relu', [[5, 7]], tf.relu],
      ['leakyRelu', [[5, 7]], (x) => tf.leakyRelu(x, 0.2)],
      ['elu', [[5, 7]], tf.elu],
      ['softmax', [[5, 7]], (x) => tf.softmax(x)],
      ['logSoftmax', [[5, 7]], (x) => tf.logSoftmax(x)],
      ['sum over an axis', [[5, 7, 3]], (x) => tf.sum(x, 1)],
      ['mean over all', [[5, 7, 3]], (x) => tf.mean(x)],
      ['max over an axis', [[5, 7, 3]], (x) => tf.max(x, 2)],
      [
        'concat',
        [
          [3, 4],
          [3, 2],
        ],
        (a, b) => tf.concat([a, b], 1),
      ],
      ['slice', [[5, 7, 3]], (x) => tf.slice(x, [1, 2, 0], [3, 4, 2])],
      ['gather', [[5, 7]], (x) => tf.gather(x, tf.tensor1d([4, 0, 2, 2], 'int32'), 1)],
      [
        'pad',
        [[2, 5, 5, 3]],
        (x) =>
          tf.pad(x, [
            [0, 0],
            [1, 2],
            [2, 1],
            [0, 0],
          ]),
      ],
      ['transpose', [[2, 5, 4, 3]], (x) => tf.transpose(x, [0, 3, 1, 2])],
      ['reshape', [[2, 5, 4, 3]], (x) => tf.reshape(x, [10, 12])],
      [
        'batch-norm moments and normalization',
        [[4, 5, 5, 3], [3], [3]],
        (x, gamma, beta) => {
          const { mean, variance } = tf.moments(x, [0, 1, 2]);
          return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
        },
      ],
    ]),
  )('%s and its gradients', async (_, shapes, op) => {
    await expectSameAsCpu(shapes, op);
  });

  it('log (positive inputs) and its gradient', async () => {
    await expectSameAsCpu([[5, 7]], tf.log, true);
  });

  describe('second-order gradients (gradient penalty: ∂/∂θ of a function of ∇ₓD)', () => {
    /** P(θ) = mean_i (‖∇ₓD(x_i)‖ − 1)², and ∂P/∂θ, for a critic on one backend. */
    async function penaltyGradients(
      backend: 'webgpu' | 'cpu',
      critic: (x: tf.Tensor) => tf.Tensor,
      variables: tf.Variable[],
      shape: number[],
    ): Promise<Float32Array[]> {
      return withBackend(backend, () => {
        const grads = tf.tidy(() => {
          const x = values(5, shape);
          const penalty = () => {
            const g = tf.grad((input: tf.Tensor) => tf.sum(critic(input)))(x);
            const norms = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(g, [shape[0], -1])), 1), 1e-12));
            return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
          };
          const result = tf.variableGrads(penalty, variables).grads;
          return variables.map((v) => result[v.name] ?? tf.zerosLike(v));
        });
        return read(grads);
      });
    }

    it.each(['leakyRelu', 'elu', 'tanh'] as const)('MLP critic through %s', async (activation) => {
      const run = (backend: 'webgpu' | 'cpu') =>
        withBackend(backend, async () => {
          const params = new ParameterStore('critic', 42);
          const mlp = new MLP(params, 'd', [6, 16, 16, 1], activation);
          const grads = await penaltyGradients(
            backend,
            (x) => mlp.apply(x as tf.Tensor2D),
            params.trainable(),
            [5, 6],
          );
          params.dispose();
          return grads;
        });
      const gpu = await run('webgpu');
      const cpu = await run('cpu');
      for (let i = 0; i < cpu.length - 1; i++)
        expect(relativeError(gpu[i], cpu[i]), `weight ${i}`).toBeLessThan(1e-4);
    });

    it('conv critic (conv2d stride 2 → leakyRelu → conv2d → dense)', async () => {
      const run = (backend: 'webgpu' | 'cpu') =>
        withBackend(backend, async () => {
          const weights = [
            tf.variable(tf.mul(values(1, [3, 3, 2, 4]), 0.5)),
            tf.variable(tf.mul(values(2, [3, 3, 4, 3]), 0.5)),
            tf.variable(tf.mul(values(3, [4 * 4 * 3, 1]), 0.3)),
          ];
          const critic = (x: tf.Tensor) => {
            const h1 = tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, weights[0] as tf.Tensor4D, 2, 'same'), 0.2);
            const h2 = tf.leakyRelu(tf.conv2d(h1, weights[1] as tf.Tensor4D, 1, 'same'), 0.2);
            return tf.matMul(tf.reshape(h2, [x.shape[0], -1]), weights[2] as tf.Tensor2D);
          };
          const grads = await penaltyGradients(backend, critic, weights, [3, 8, 8, 2]);
          tf.dispose(weights);
          return grads;
        });
      const gpu = await run('webgpu');
      const cpu = await run('cpu');
      for (let i = 0; i < cpu.length; i++) {
        expect(Math.max(...cpu[i].map(Math.abs))).toBeGreaterThan(0);
        expect(relativeError(gpu[i], cpu[i]), `weight ${i}`).toBeLessThan(1e-4);
      }
    });
  });

  it('trains a small conv net for a few Adam steps like cpu', async () => {
    const steps = 5;
    const train = (backend: 'webgpu' | 'cpu') =>
      withBackend(backend, async () => {
        const weights = [
          tf.variable(tf.mul(values(1, [3, 3, 1, 8]), 0.3)),
          tf.variable(tf.zeros([8])),
          tf.variable(tf.mul(values(2, [3, 3, 8, 8]), 0.1)),
          tf.variable(tf.mul(values(3, [4 * 4 * 8, 10]), 0.05)),
        ];
        const x = values(4, [8, 16, 16, 1]);
        const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
        const optimizer = tf.train.adam(0.01);
        const losses: number[] = [];
        for (let step = 0; step < steps; step++) {
          const loss = optimizer.minimize(() => {
            const h1 = tf.relu(
              tf.add(tf.conv2d(x as tf.Tensor4D, weights[0] as tf.Tensor4D, 2, 'same'), weights[1]),
            );
            const h2 = tf.elu(tf.conv2d(h1 as tf.Tensor4D, weights[2] as tf.Tensor4D, 2, 'same'));
            const logits = tf.matMul(tf.reshape(h2, [8, -1]), weights[3] as tf.Tensor2D);
            return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
          }, true) as tf.Scalar;
          losses.push((await loss.data())[0]);
          loss.dispose();
        }
        const final = await read(weights.map((w) => w.clone()));
        optimizer.dispose();
        tf.dispose([...weights, x, labels]);
        return { losses, final };
      });
    const gpu = await train('webgpu');
    const cpu = await train('cpu');
    expect(cpu.losses[steps - 1]).toBeLessThan(cpu.losses[0]);
    for (let i = 0; i < steps; i++) expect(gpu.losses[i]).toBeCloseTo(cpu.losses[i], 4);
    for (let i = 0; i < cpu.final.length; i++) {
      expect(relativeError(gpu.final[i], cpu.final[i]), `weight ${i}`).toBeLessThan(1e-4);
    }
  });
  it("runs genzoo's gradient update (asynchronous reads; a norm over more gradients than a stage binds) like cpu", async () => {
    // Six dense layers: 12 gradients, more than the 8 storage buffers a WebGPU stage may bind at once.
    const steps = 4;
    const train = (backend: 'webgpu' | 'cpu') =>
      withBackend(backend, async () => {
        const store = new ParameterStore('webgpu-update', 5);
        const mlp = new MLP(store, 'mlp', [6, 16, 16, 16, 16, 16, 6], 'tanh');
        const x = values(7, [32, 6]);
        const player: GradientPlayer = {
          kind: 'gradient',
          name: 'fit',
          variables: () => store.trainable(),
          objective: {
            name: 'mse',
            compute: (batch) => ({
              loss: tf.mean(tf.square(tf.sub(mlp.apply(batch.x as tf.Tensor2D), batch.x))) as tf.Scalar,
              metrics: {},
            }),
          },
        };
        const optimizer = createOptimizer(optimizerConfigSchema.parse({ name: 'adam', learningRate: 0.01 }));
        const history: Array<Record<string, number>> = [];
        for (let step = 0; step < steps; step++) {
          history.push(
            await gradientUpdate(
              { player, variables: store.trainable(), optimizer, clipNorm: 0.5 },
              { x },
              { step, nextSeed: () => step },
            ),
          );
        }
        optimizer.dispose();
        x.dispose();
        store.dispose();
        return history;
      });
    const gpu = await train('webgpu');
    const cpu = await train('cpu');
    expect(cpu[steps - 1].loss).toBeLessThan(cpu[0].loss);
    for (let i = 0; i < steps; i++) {
      expect(gpu[i].loss).toBeCloseTo(cpu[i].loss, 4);
      expect(gpu[i].gradNorm).toBeCloseTo(cpu[i].gradNorm, 3);
    }
  });
});

describe.skipIf(missing !== undefined && !CI)('webgpu selection on a real adapter', () => {
  it('skips a software adapter by default, naming it, and falls through to wasm', async () => {
    const { initBackend: fresh } = await freshInit();
    const info = await fresh({ quiet: true, prefer: ['webgpu', 'wasm'] });
    expect(info.name).toBe('wasm');
    expect(info.skipped).toEqual([
      {
        name: 'webgpu',
        reason: expect.stringMatching(/^software adapter (llvmpipe|lavapipe|swiftshader); force it/),
      },
    ]);
  });

  it('chooses a hardware adapter by default (the same adapter, describing itself as a GPU)', async () => {
    const gpu = (globalThis as { navigator: { gpu: GPU } }).navigator.gpu;
    const hardware = {
      requestAdapter: async (options?: GPURequestAdapterOptions) => {
        const adapter = await gpu.requestAdapter(options);
        if (adapter === null) return null;
        const info = {
          vendor: 'nvidia',
          architecture: 'ampere',
          device: '',
          description: 'NVIDIA A100',
          isFallbackAdapter: false,
        };
        return new Proxy(adapter, {
          get: (target, key) => {
            if (key === 'info') return info;
            const value = Reflect.get(target, key, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    };
    Object.defineProperty(globalThis.navigator, 'gpu', { value: hardware, configurable: true });
    try {
      const { initBackend: fresh } = await freshInit();
      const info = await fresh({ quiet: true, prefer: ['webgpu', 'wasm'] });
      expect(info).toMatchObject({
        name: 'webgpu',
        skipped: [],
        adapter: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA A100', software: false },
      });
      expect(tf.getBackend()).toBe('webgpu');
    } finally {
      Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
    }
  });
});

/** A fresh copy of the backend module: no backend selected yet. */
async function freshInit(): Promise<typeof import('../src/index.js')> {
  vi.resetModules();
  return import('../src/index.js');
}
