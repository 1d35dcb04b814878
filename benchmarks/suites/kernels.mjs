// Suite `kernels`: genzoo's wasm kernel pack (@genzoo/core) against stock wasm (or cpu where stock wasm
// has no kernel), on the shapes of MNIST-sized models at batch 128, and the training throughput this
// buys. Scripts live in benchmarks/kernels/ and import the built @genzoo/core.

export const columns = [
  'kernel',
  'shape',
  'backend',
  'baseline',
  'stock_ms',
  'pack_ms',
  'speedup',
  'rel_error_vs_cpu',
  'step_ms',
  'examples_per_s',
  'vs_cpu',
];

const BATCH = 128;

/** Conv layers of an MNIST conv net: 28→14 (1→32 channels) and 14→7 (32→64), 3×3, stride 2, same. */
const CONV_LAYERS = [
  { name: 'conv1', x: [BATCH, 28, 28, 1], filter: [3, 3, 1, 32] },
  { name: 'conv2', x: [BATCH, 14, 14, 32], filter: [3, 3, 32, 64] },
];

/** The products of an MLP layer 784→512 at batch 128: forward, and the two of its backward pass. */
const MATMULS = [
  { name: 'x·W', a: [BATCH, 784], b: [784, 512] },
  { name: 'dy·Wᵀ', a: [BATCH, 512], b: [784, 512], transposeB: true },
  { name: 'xᵀ·dy', a: [BATCH, 784], b: [BATCH, 512], transposeA: true },
];

export function entries({ quick }) {
  // The first calls of a kernel grow the wasm heap and are several times slower: warm up well.
  const timing = quick ? { warmup: 3, runs: 5 } : { warmup: 5, runs: 15 };
  // The cpu Conv2DBackpropFilter baseline takes ~2 s (conv1) and ~16 s (conv2) per call.
  const cpuFilterTiming = quick
    ? { baselineWarmup: 0, baselineRuns: 1 }
    : { baselineWarmup: 0, baselineRuns: 3 };
  const kernels = [
    ...CONV_LAYERS.map(({ name, ...layer }) => ({
      id: `Conv2DBackpropFilter/${name}`,
      script: 'kernels/kernel.mjs',
      args: {
        kernel: 'Conv2DBackpropFilter',
        ...layer,
        stride: 2,
        pad: 'same',
        ...timing,
        ...cpuFilterTiming,
      },
    })),
    ...CONV_LAYERS.map(({ name, ...layer }) => ({
      id: `Conv2DBackpropInput/${name}`,
      script: 'kernels/kernel.mjs',
      args: { kernel: 'Conv2DBackpropInput', ...layer, stride: 2, pad: 'same', ...timing },
    })),
    ...MATMULS.map(({ name, ...shape }) => ({
      id: `BatchMatMul/${name}`,
      script: 'kernels/kernel.mjs',
      args: { kernel: 'BatchMatMul', ...shape, ...timing },
    })),
    {
      id: '_FusedMatMul/dy·Wᵀ',
      script: 'kernels/kernel.mjs',
      args: { kernel: '_FusedMatMul', a: [BATCH, 512], b: [784, 512], transposeB: true, ...timing },
    },
  ];
  const training = quick
    ? { warmup: 1, steps: 3, cpuWarmup: 0, cpuSteps: 1 }
    : { warmup: 2, steps: 10, cpuWarmup: 0, cpuSteps: 3 };
  return [
    ...kernels,
    {
      id: 'train/mlp-vae',
      script: 'kernels/training.mjs',
      args: { model: 'mlp', batch: BATCH, configs: ['wasm', 'wasm-stock', 'cpu'], ...training },
    },
    {
      // Stock wasm cannot train a conv net (no Conv2DBackpropFilter kernel), so only the pack and cpu.
      id: 'train/conv-vae',
      script: 'kernels/training.mjs',
      args: { model: 'conv', batch: BATCH, configs: ['wasm', 'cpu'], ...training },
    },
  ];
}
