/**
 * genzoo's wasm kernel pack against the cpu backend (tfjs's reference kernels): same inputs, same
 * kernel, results within a relative error of 1e-4 over strides, paddings, kernel sizes, batch sizes
 * and odd spatial sizes.
 */

import { BackendError, Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, registerWasmKernelPack, unregisterWasmKernelPack, withBackend } from '../src/index.js';
import { swappedIsCheaper } from '../src/wasm/batch-matmul.js';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: Pad;
}

// Strides 1-3, paddings same/valid/explicit (including explicit padding wider than k−1, which the
// kernels turn into input crops), kernel sizes 1/3/5 (1 with stride 2-3 leaves some output phases
// without filter taps), batch sizes 1-3, odd and MNIST sizes.
const CONV_CASES: ConvCase[] = [
  { n: 2, h: 7, w: 7, cin: 3, cout: 4, k: 3, stride: 1, pad: 'same' },
  { n: 1, h: 13, w: 13, cin: 2, cout: 5, k: 3, stride: 2, pad: 'same' },
  { n: 3, h: 13, w: 11, cin: 4, cout: 3, k: 5, stride: 2, pad: 'valid' },
  { n: 2, h: 28, w: 28, cin: 1, cout: 8, k: 5, stride: 2, pad: 'same' },
  { n: 2, h: 14, w: 14, cin: 8, cout: 6, k: 3, stride: 2, pad: 'valid' },
  { n: 1, h: 7, w: 9, cin: 3, cout: 2, k: 1, stride: 3, pad: 'same' },
  { n: 2, h: 13, w: 13, cin: 2, cout: 3, k: 3, stride: 3, pad: 'valid' },
  { n: 1, h: 11, w: 8, cin: 3, cout: 4, k: 5, stride: 1, pad: 'valid' },
  // 16 input channels and more: Conv2DBackpropInput runs one convolution per sub-pixel phase (DCGAN's
  // 4 × 4 stride-2 generator layers), including phases without taps (1 × 1 with stride 3).
  { n: 2, h: 14, w: 14, cin: 16, cout: 8, k: 4, stride: 2, pad: 'same' },
  { n: 1, h: 13, w: 13, cin: 16, cout: 4, k: 3, stride: 2, pad: 'same' },
  { n: 1, h: 11, w: 9, cin: 16, cout: 3, k: 5, stride: 3, pad: 'valid' },
  { n: 1, h: 7, w: 9, cin: 16, cout: 2, k: 1, stride: 3, pad: 'same' },
  {
    n: 2,
    h: 9,
    w: 10,
    cin: 2,
    cout: 3,
    k: 3,
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    n: 1,
    h: 7,
    w: 7,
    cin: 2,
    cout: 2,
    k: 1,
    stride: 2,
    pad: [
      [0, 0],
      [2, 1],
      [1, 3],
      [0, 0],
    ],
  },
  { n: 3, h: 28, w: 13, cin: 2, cout: 4, k: 5, stride: 3, pad: 'same' },
  {
    n: 1,
    h: 6,
    w: 7,
    cin: 3,
    cout: 3,
    k: 3,
    stride: 1,
    pad: [
      [0, 0],
      [4, 0],
      [0, 3],
      [0, 0],
    ],
  },
  // Padding wider than the input: some output phases see only padding.
  {
    n: 2,
    h: 2,
    w: 5,
    cin: 2,
    cout: 3,
    k: 3,
    stride: 2,
    pad: [
      [0, 0],
      [6, 0],
      [0, 4],
      [0, 0],
    ],
  },
];

const label = (c: ConvCase) =>
  `x [${c.n},${c.h},${c.w},${c.cin}] k${c.k} → ${c.cout}, stride ${c.stride}, pad ${JSON.stringify(c.pad)}`;

function randomArray(size: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** max|a − b| / (max|b| + 1e-6): relative to the reference's scale, so near-zero entries don't dominate. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale + 1e-6);
}

/** Runs `f` on a backend, returns its output's values and shape, and frees everything it made. */
function evaluate(
  backend: 'wasm' | 'cpu',
  f: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  return withBackend(backend, () =>
    tf.tidy(() => {
      const out = f();
      return { values: out.dataSync() as Float32Array, shape: out.shape };
    }),
  );
}

async function expectBackendsAgree(f: () => tf.Tensor): Promise<void> {
  const wasm = await evaluate('wasm', f);
  const cpu = await evaluate('cpu', f);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(relativeError(wasm.values, cpu.values)).toBeLessThan(1e-4);
}

function convGeometry(c: ConvCase) {
  const xShape: [number, number, number, number] = [c.n, c.h, c.w, c.cin];
  const filterShape: [number, number, number, number] = [c.k, c.k, c.cin, c.cout];
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, c.stride, 1, c.pad);
  return { xShape, filterShape, dyShape: info.outShape };
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function backpropFilter(c: ConvCase, seed: number): () => tf.Tensor {
  const { xShape, filterShape, dyShape } = convGeometry(c);
  const x = randomArray(size(xShape), seed);
  const dy = randomArray(size(dyShape), seed + 1);
  return () =>
    tf
      .engine()
      .runKernel(tf.Conv2DBackpropFilter, { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) }, {
        strides: c.stride,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function backpropInput(c: ConvCase, seed: number): () => tf.Tensor {
  const { xShape, filterShape, dyShape } = convGeometry(c);
  const filter = randomArray(size(filterShape), seed);
  const dy = randomArray(size(dyShape), seed + 1);
  return () =>
    tf
      .engine()
      .runKernel(
        tf.Conv2DBackpropInput,
        { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, filterShape) },
        {
          strides: c.stride,
          pad: c.pad,
          dataFormat: 'NHWC',
          inputShape: xShape,
        } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
}

/** Runs `f` a few times on wasm and checks that neither engine tensors nor backend buffers pile up. */
async function expectNoLeak(f: () => tf.Tensor): Promise<void> {
  await withBackend('wasm', () => {
    tf.dispose(tf.tidy(f)); // warm-up: a first call may set up lasting state
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(f));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
}

beforeAll(async () => {
  await initBackend({ force: 'wasm', quiet: true });
});

describe('Conv2DBackpropFilter on wasm', () => {
  it.each(CONV_CASES.map((c, i) => [label(c), c, i] as const))('matches cpu: %s', async (_, c, i) => {
    await expectBackendsAgree(backpropFilter(c, 100 + i));
  });

  it('makes conv2d trainable: wasm has no stock kernel, tfjs throws without the pack', async () => {
    const f = backpropFilter(CONV_CASES[1], 7);
    unregisterWasmKernelPack();
    try {
      await expect(evaluate('wasm', f)).rejects.toThrow(/Conv2DBackpropFilter/);
    } finally {
      registerWasmKernelPack();
    }
    await expectBackendsAgree(f);
  });

  it('frees every intermediate', async () => {
    await expectNoLeak(backpropFilter(CONV_CASES[2], 3));
  });

  it('rejects NCHW with a BackendError that names the kernel', async () => {
    const x = tf.tensor4d(randomArray(2 * 3 * 5 * 5, 1), [2, 3, 5, 5]);
    const dy = tf.tensor4d(randomArray(2 * 4 * 5 * 5, 2), [2, 4, 5, 5]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(BackendError);
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(
      /Conv2DBackpropFilter supports dataFormat 'NHWC' only, got 'NCHW'/,
    );
    tf.dispose([x, dy]);
  });
});

describe('Conv2DBackpropInput on wasm', () => {
  it.each(CONV_CASES.map((c, i) => [label(c), c, i] as const))('matches cpu: %s', async (_, c, i) => {
    await expectBackendsAgree(backpropInput(c, 200 + i));
  });

  it('frees every intermediate', async () => {
    await expectNoLeak(backpropInput(CONV_CASES[1], 4));
  });
});

describe('BatchMatMul and _FusedMatMul on wasm', () => {
  const cases: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { a: [33, 17], b: [17, 9], ta: false, tb: false },
    { a: [33, 17], b: [9, 17], ta: false, tb: true },
    { a: [17, 33], b: [17, 9], ta: true, tb: false },
    { a: [17, 33], b: [9, 17], ta: true, tb: true },
    { a: [1, 64, 40], b: [1, 31, 40], ta: false, tb: true },
    { a: [3, 12, 7], b: [3, 12, 5], ta: true, tb: false },
    { a: [2, 3, 6, 4], b: [1, 6, 5], ta: true, tb: false },
    // Computed as (op(B)ᵀ·op(A)ᵀ)ᵀ, which moves fewer values (swappedIsCheaper).
    { a: [8, 20], b: [50, 20], ta: false, tb: true },
    { a: [1, 8, 20], b: [1, 50, 20], ta: false, tb: true },
    { a: [20, 6], b: [40, 20], ta: true, tb: true },
  ];
  const name = (c: (typeof cases)[number]) => `[${c.a}]${c.ta ? 'ᵀ' : ''} · [${c.b}]${c.tb ? 'ᵀ' : ''}`;
  const operands = (c: (typeof cases)[number], seed: number) => {
    const a = randomArray(size(c.a), seed);
    const b = randomArray(size(c.b), seed + 1);
    return () => [tf.tensor(a, c.a), tf.tensor(b, c.b)] as const;
  };

  it.each(cases.map((c, i) => [name(c), c, i] as const))('BatchMatMul matches cpu: %s', async (_, c, i) => {
    const make = operands(c, 300 + i);
    await expectBackendsAgree(() => tf.matMul(...make(), c.ta, c.tb));
  });

  // Batched cases also cover the stock kernel's misplaced bias on its scalar loop, which the pack fixes.
  const activations = ['relu', 'elu', 'leakyrelu', 'sigmoid', 'linear', 'relu6'] as const;
  const fusedCases = [
    ...cases.filter((c) => c.a.length <= 3),
    { a: [3, 7, 12], b: [3, 12, 5], ta: false, tb: false },
  ];
  it.each(fusedCases.map((c, i) => [`${name(c)}, ${activations[i % activations.length]}`, c, i] as const))(
    '_FusedMatMul with bias matches cpu: %s',
    async (_, c, i) => {
      const make = operands(c, 400 + i);
      const n = c.tb ? c.b[c.b.length - 2] : c.b[c.b.length - 1];
      const bias = randomArray(n, 500 + i);
      const activation = activations[i % activations.length];
      await expectBackendsAgree(() => {
        const [a, b] = make();
        return tf.fused.matMul({
          a,
          b,
          transposeA: c.ta,
          transposeB: c.tb,
          bias: tf.tensor1d(bias),
          activation,
          leakyreluAlpha: 0.2,
        });
      });
    },
  );

  it('frees every intermediate', async () => {
    for (const c of [cases[3], cases[9]]) {
      const make = operands(c, 9);
      await expectNoLeak(() => tf.matMul(...make(), c.ta, c.tb));
    }
  });

  it('swaps the product where that moves fewer values: a dense layer’s input gradient, not its weight gradient', () => {
    const shape = (dims: number[]) => ({ shape: dims });
    // dy·Wᵀ (batch 128, W 784 × 512): 231k values moved swapped against 803k directly.
    expect(
      swappedIsCheaper(shape([128, 512]), shape([784, 512]), { transposeA: false, transposeB: true }),
    ).toBe(true);
    // xᵀ·dy: 165k directly against 566k swapped.
    expect(
      swappedIsCheaper(shape([128, 784]), shape([128, 512]), { transposeA: true, transposeB: false }),
    ).toBe(false);
    expect(
      swappedIsCheaper(shape([128, 784]), shape([784, 512]), { transposeA: false, transposeB: false }),
    ).toBe(false);
    // Batched products stay on the stock loop as they are.
    expect(
      swappedIsCheaper(shape([2, 128, 512]), shape([2, 784, 512]), { transposeA: false, transposeB: true }),
    ).toBe(false);
    for (const c of cases.slice(-3)) {
      expect(swappedIsCheaper(shape(c.a), shape(c.b), { transposeA: c.ta, transposeB: c.tb }), name(c)).toBe(
        true,
      );
    }
  });
});

describe('a small conv net trains on wasm', () => {
  it('gradient of a conv2d(stride 2) + conv2dTranspose autoencoder loss w.r.t. its filters equals cpu', async () => {
    const x = randomArray(3 * 13 * 13 * 2, 11);
    const w1 = randomArray(3 * 3 * 2 * 6, 12);
    const w2 = randomArray(5 * 5 * 2 * 6, 13);
    const grads = (backend: 'wasm' | 'cpu') =>
      withBackend(backend, () =>
        tf.tidy(() => {
          const input = tf.tensor4d(x, [3, 13, 13, 2]);
          const loss = (f1: tf.Tensor, f2: tf.Tensor) => {
            const h = tf.leakyRelu(tf.conv2d(input, f1 as tf.Tensor4D, 2, 'same'), 0.2);
            const y = tf.conv2dTranspose(h, f2 as tf.Tensor4D, [3, 13, 13, 2], 2, 'same');
            return tf.mean(tf.square(tf.sub(y, input)));
          };
          const g = tf.grads(loss)([tf.tensor4d(w1, [3, 3, 2, 6]), tf.tensor4d(w2, [5, 5, 2, 6])]);
          return g.map((t) => t.dataSync() as Float32Array);
        }),
      );
    const onWasm = await grads('wasm');
    const onCpu = await grads('cpu');
    expect(relativeError(onWasm[0], onCpu[0])).toBeLessThan(1e-4);
    expect(relativeError(onWasm[1], onCpu[1])).toBeLessThan(1e-4);
  });
});

describe('tiled Transpose and prefix Sum on wasm', () => {
  const cases: Array<[number[], number[]]> = [
    [
      [100352 / 49, 64],
      [1, 0],
    ],
    [
      [1024, 96],
      [1, 0],
    ],
    [
      [128, 28, 28, 8],
      [3, 1, 2, 0],
    ],
    [
      [32, 28, 28, 16],
      [1, 2, 0, 3],
    ],
    [
      [256, 1, 300],
      [2, 1, 0],
    ],
    [
      [4, 64, 512],
      [0, 2, 1],
    ],
    [
      [250, 263],
      [1, 0],
    ],
    [
      [8, 4],
      [1, 0],
    ],
  ];

  it.each(
    cases.map(([shape, perm], i) => [JSON.stringify(shape), JSON.stringify(perm), shape, perm, i] as const),
  )('transpose %s by %s matches cpu', async (_s, _p, shape, perm, i) => {
    const values = randomArray(size(shape), 300 + i);
    await expectBackendsAgree(() => tf.transpose(tf.tensor(values, shape), perm));
  });

  it.each([
    [[100352 / 49, 64], [0]],
    [
      [64, 28, 28, 32],
      [0, 1, 2],
    ],
    [
      [3000, 7],
      [0, 1],
    ],
    [[500, 40], [1]],
    [
      [50, 40, 3],
      [0, 2],
    ],
  ])('sum of %j over %j matches cpu (keepDims both ways)', async (shape, axes) => {
    const values = randomArray(size(shape), 400 + shape[0]);
    await expectBackendsAgree(() => tf.sum(tf.tensor(values, shape), axes));
    await expectBackendsAgree(() => tf.sum(tf.tensor(values, shape), axes, true));
  });

  it('frees every intermediate', async () => {
    const x = randomArray(64 * 28 * 28 * 16, 7);
    await expectNoLeak(() => tf.transpose(tf.tensor4d(x, [64, 28, 28, 16]), [3, 1, 2, 0]));
    await expectNoLeak(() => tf.sum(tf.tensor2d(x, [64 * 28 * 28, 16]), 0));
  });
});

describe('Tanh through Sigmoid on wasm', () => {
  it('matches cpu to 2e-7 absolute over [−12, 12], with the stock gradient', async () => {
    const values = Float32Array.from({ length: 4801 }, (_, i) => -12 + i * 0.005);
    const wasm = await evaluate('wasm', () => tf.tanh(tf.tensor1d(values)));
    const cpu = await evaluate('cpu', () => tf.tanh(tf.tensor1d(values)));
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(wasm.values[i] - cpu.values[i]));
    expect(worst).toBeLessThan(2e-7);
    await expectBackendsAgree(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.tanh(x)))(tf.tensor1d(values.slice(0, 400))),
    );
    await expectNoLeak(() => tf.tanh(tf.tensor1d(values)));
  });
});
