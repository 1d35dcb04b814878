// One kernel of genzoo's wasm kernel pack against what wasm runs without it: the stock wasm kernel, or,
// for Conv2DBackpropFilter (which stock wasm lacks), the cpu backend.
//
//   node kernels/kernel.mjs '{"kernel":"Conv2DBackpropFilter","x":[128,28,28,1],"filter":[3,3,1,32],
//                             "stride":2,"pad":"same","warmup":2,"runs":5,"baselineWarmup":0,"baselineRuns":1}'
//   node kernels/kernel.mjs '{"kernel":"BatchMatMul","a":[128,512],"b":[784,512],"transposeB":true,...}'
import { initBackend, registerWasmKernelPack, unregisterWasmKernelPack, withBackend } from '@genzoo/backends';
import { tf } from '@genzoo/core';
import { parseArgs, relativeError, report, timeKernel } from './timing.mjs';

const args = parseArgs();
const timing = { warmup: args.warmup ?? 2, runs: args.runs ?? 5 };
// The cpu baseline of Conv2DBackpropFilter takes seconds per call; it may be given fewer runs.
const baselineTiming = {
  warmup: args.baselineWarmup ?? timing.warmup,
  runs: args.baselineRuns ?? timing.runs,
};
await initBackend({ force: 'wasm', quiet: true });

/** Random inputs, the kernel call on them, and a readable shape description for the kernel in args. */
function workload() {
  const normal = (shape, seed) => tf.randomNormal(shape, 0, 1, 'float32', seed);
  switch (args.kernel) {
    case 'Conv2DBackpropFilter':
    case 'Conv2DBackpropInput': {
      const { x, filter, stride, pad } = args;
      const dy = tf.backend_util.computeConv2DInfo(x, filter, stride, 1, pad).outShape;
      const attrs = { strides: stride, pad, dataFormat: 'NHWC' };
      const geometry = `x [${x}] * w [${filter}], stride ${stride}, ${pad} → dy [${dy}]`;
      if (args.kernel === 'Conv2DBackpropFilter') {
        return {
          describe: `dW: ${geometry}`,
          inputs: () => ({ x: normal(x, 1), dy: normal(dy, 2) }),
          call: (inputs) =>
            tf.engine().runKernel(tf.Conv2DBackpropFilter, inputs, { ...attrs, filterShape: filter }),
        };
      }
      return {
        describe: `dx: ${geometry}`,
        inputs: () => ({ dy: normal(dy, 1), filter: normal(filter, 2) }),
        call: (inputs) => tf.engine().runKernel(tf.Conv2DBackpropInput, inputs, { ...attrs, inputShape: x }),
      };
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const { a, b, transposeA = false, transposeB = false } = args;
      const fused = args.kernel === '_FusedMatMul';
      const n = transposeB ? b[b.length - 2] : b[b.length - 1];
      const t = (flag) => (flag ? 'ᵀ' : '');
      return {
        describe: `[${a}]${t(transposeA)} · [${b}]${t(transposeB)}${fused ? ' + bias, relu' : ''}`,
        inputs: () => ({ a: normal(a, 1), b: normal(b, 2), bias: normal([n], 3) }),
        call: ({ a, b, bias }) =>
          fused
            ? tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' })
            : tf.matMul(a, b, transposeA, transposeB),
      };
    }
    default:
      throw new Error(`unknown kernel "${args.kernel}"`);
  }
}

const { describe, inputs, call } = workload();

/** Median time of the kernel alone (inputs drawn once, outside the timing) and its output values. */
function measure(timing) {
  const ins = inputs();
  const result = timeKernel(() => call(ins), timing);
  tf.dispose(Object.values(ins));
  return result;
}

// The pack's output is checked against tfjs's reference cpu kernels rather than stock wasm, whose
// _FusedMatMul misplaces the bias when it falls back to its scalar loop.
let baseline;
let baselineName;
let cpuValues;
if (args.kernel === 'Conv2DBackpropFilter') {
  baselineName = 'cpu';
  baseline = await withBackend('cpu', () => measure(baselineTiming));
  cpuValues = baseline.values;
} else {
  baselineName = 'wasm stock';
  unregisterWasmKernelPack();
  baseline = measure(baselineTiming);
  registerWasmKernelPack();
  cpuValues = (await withBackend('cpu', () => measure({ warmup: 0, runs: 1 }))).values;
}
const pack = measure(timing);

report([
  {
    kernel: args.kernel,
    shape: describe,
    backend: 'wasm',
    baseline: baselineName,
    stock_ms: baseline.ms,
    pack_ms: pack.ms,
    speedup: baseline.ms / pack.ms,
    rel_error_vs_cpu: relativeError(pack.values, cpuValues),
  },
]);
