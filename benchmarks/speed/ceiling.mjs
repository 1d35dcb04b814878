// The physical ceiling of the dense rows: GFLOP/s of a float32 product of an MLP layer's shape (batch 128,
// 784 → 512: forward, with the weight stored transposed, and the weight gradient) on one core — tfjs's wasm SIMD kernel (XNNPACK),
// genzoo's kernel pack where it replaces it (the transposed products), and PyTorch on OpenBLAS with one
// thread — measured in the same run.
//
//   node benchmarks/speed/ceiling.mjs '{"quick":false}'
import { initBackend, registerWasmKernelPack, unregisterWasmKernelPack } from '@genzoo/backends';
import { tf } from '@genzoo/core';
import { median, parseArgs } from '../kernels/timing.mjs';
import { pytorchMatmulGflops } from './pytorch.mjs';

const { quick = false } = parseArgs();
const runs = quick ? 10 : 30;
await initBackend({ force: 'wasm', quiet: true });

/** The products reference/matmul_ceiling.py times, under its names: x·W, x·Wᵀ (W stored transposed), xᵀ·dy. */
const PRODUCTS = [
  { name: '128x784.784x512', a: [128, 784], b: [784, 512] },
  { name: '128x784.(512x784)T', a: [128, 784], b: [512, 784], transposeB: true },
  { name: '(128x784)T.128x512', a: [128, 784], b: [128, 512], transposeA: true },
];

/** GFLOP/s of each product, the median of `runs` timed calls after warm-up. */
function gflops() {
  const out = {};
  for (const { name, a, b, transposeA = false, transposeB = false } of PRODUCTS) {
    const [x, y] = [tf.randomNormal(a, 0, 1, 'float32', 1), tf.randomNormal(b, 0, 1, 'float32', 2)];
    const m = transposeA ? a[1] : a[0];
    const k = transposeA ? a[0] : a[1];
    const n = transposeB ? b[0] : b[1];
    const once = () => {
      const start = performance.now();
      // Nothing returned from the tidy: a returned typed array would be walked element by element.
      tf.tidy(() => {
        tf.matMul(x, y, transposeA, transposeB).dataSync();
      });
      return performance.now() - start;
    };
    for (let i = 0; i < 5; i++) once();
    const ms = median(Array.from({ length: runs }, once));
    out[name] = (2 * m * k * n) / (ms * 1e6);
    tf.dispose([x, y]);
  }
  return out;
}

const pack = gflops();
unregisterWasmKernelPack();
const stock = gflops();
registerWasmKernelPack();
const torch = await pytorchMatmulGflops({ threads: 1 });
const rows = PRODUCTS.map(({ name }) => ({
  workload: `ceiling ${name}`,
  gflops: pack[name],
  stock_wasm_gflops: stock[name],
  pytorch_gflops: torch.gflops?.[name],
  ratio_1: pack[name] / (torch.gflops?.[name] ?? Number.NaN),
  blas: torch.blas,
}));
console.log(JSON.stringify({ rows }));
