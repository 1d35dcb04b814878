// Suite `speed`: training throughput of the same networks in genzoo (wasm, 1 worker and one worker per
// core; webgpu where there is an adapter) and PyTorch (OpenBLAS, OpenMP build; 1 thread and one per
// core), measured in the same run on the same machine and data, with the ratios — and the physical
// ceiling: a float32 matrix product on one core, wasm SIMD against OpenBLAS. See speed/measure.mjs.
import { availableParallelism } from 'node:os';
import { WORKLOADS } from '../speed/workloads.mjs';

const cores = availableParallelism();

export const columns = [
  'workload',
  'batch',
  'genzoo_1w',
  `genzoo_${cores}w`,
  'scaling',
  'scaling_range',
  'pytorch_1t',
  `pytorch_${cores}t`,
  'ratio_1',
  `ratio_${cores}`,
  `ratio_${cores}_range`,
  'webgpu',
  'webgpu_adapter',
  'genzoo_samples_per_s',
  'pytorch_samples_per_s_1t',
  'webgpu_samples_per_s',
  'webgpu_sampling',
  'steps',
  'gflops',
  'stock_wasm_gflops',
  'pytorch_gflops',
  'blas',
];

export function entries({ quick }) {
  return [
    ...WORKLOADS.map((workload) => ({
      id: `speed/${workload.id}`,
      script: 'speed/measure.mjs',
      args: { workload: workload.id, quick },
    })),
    { id: 'ceiling/matmul', script: 'speed/ceiling.mjs', args: { quick } },
  ];
}
