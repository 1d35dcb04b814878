// One row of the speed suite: a workload's training throughput, measured in one run (one after the
// other on the same machine, same data and network), for
//   genzoo on wasm with 1 worker and with one worker per core (data-parallel, speed/genzoo.mjs),
//   genzoo on webgpu when the machine has an adapter (a software one — lavapipe — is reported as such),
//   PyTorch on OpenBLAS (OpenMP build) with 1 thread and with one thread per core (speed/pytorch.mjs),
// and the ratios the issue asks for: scaling (N workers / 1) and genzoo / PyTorch at 1 and at N.
//
//   node benchmarks/speed/measure.mjs '{"workload":"conv-vae","quick":false}'
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pytorchThroughput } from './pytorch.mjs';
import { WORKLOADS } from './workloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { workload: id, quick = false, webgpu = true } = JSON.parse(process.argv[2] ?? '{}');
const workload = WORKLOADS.find((w) => w.id === id);
if (!workload) throw new Error(`unknown workload "${id}"`);
const cores = availableParallelism();
const scale = (steps) => (quick ? Math.max(6, Math.ceil(steps / 3)) : steps);

/** genzoo's row for `spec` (speed/genzoo.mjs in its own process), or `{ error }`. */
function genzoo(spec, timeoutSeconds = 900) {
  const run = spawnSync(
    process.execPath,
    [join(here, 'genzoo.mjs'), JSON.stringify({ workload: id, ...spec })],
    {
      encoding: 'utf8',
      timeout: timeoutSeconds * 1000,
      maxBuffer: 1 << 24,
    },
  );
  if (run.status !== 0) {
    // The thrown error's line, not the Node version banner that ends a crash's stderr.
    const lines = run.stderr.trim().split('\n');
    const why = run.error?.message ?? lines.find((l) => /Error\b/.test(l)) ?? lines.slice(-2).join(' | ');
    return { error: why || `exit ${run.status}` };
  }
  return JSON.parse(run.stdout.trim().split('\n').pop()).rows[0];
}

/**
 * This machine's speed moves by 10–40% from one minute to the next (a shared VM): each configuration
 * runs `repeats` times, the four interleaved so that a slow minute hits all of them, and the row gives
 * each one's median (and the spread of the ratios in `*_range`).
 */
const repeats = quick ? 1 : 3;
const steps = scale(workload.steps);
const pytorchSteps = scale(workload.pytorchSteps);
const runs = { one: [], many: [], torch1: [], torchN: [] };
for (let r = 0; r < repeats; r++) {
  const one = genzoo({ workers: 1, steps });
  if (one.error) throw new Error(`genzoo, 1 worker: ${one.error}`);
  const many = genzoo({ workers: cores, steps });
  if (many.error) throw new Error(`genzoo, ${cores} workers: ${many.error}`);
  runs.one.push(one);
  runs.many.push(many);
  runs.torch1.push(await pytorchThroughput(workload, { threads: 1, steps: pytorchSteps }));
  runs.torchN.push(await pytorchThroughput(workload, { threads: cores, steps: pytorchSteps }));
}
/** The run with the median examples/s. */
const median = (list) =>
  [...list].sort((a, b) => a.examples_per_second - b.examples_per_second)[list.length >> 1];
const [one, many, torch1, torchN] = [runs.one, runs.many, runs.torch1, runs.torchN].map(median);
/** min–max over the repeats of a / b, pairing runs of the same round. */
const range = (as, bs) => {
  const values = as.map((a, i) => a.examples_per_second / bs[i].examples_per_second);
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
};
// WebGPU: a few steps after two warm-up steps (the first compiles the shaders); a software adapter is
// orders of magnitude slower than a GPU, so its row says which adapter it ran on.
const gpu = webgpu
  ? genzoo({ backend: 'webgpu', workers: 1, steps: 5, warmup: 2, samples: 1 }, 600)
  : { error: 'not run' };

const ratio = (a, b) => (a && b ? a / b : undefined);
const row = {
  workload: id,
  model: `${workload.model}/${workload.recipe}`,
  batch: one.batch,
  genzoo_1w: one.examples_per_second,
  [`genzoo_${cores}w`]: many.examples_per_second,
  scaling: ratio(many.examples_per_second, one.examples_per_second),
  scaling_range: range(runs.many, runs.one),
  pytorch_1t: torch1.examples_per_second,
  [`pytorch_${cores}t`]: torchN.examples_per_second,
  ratio_1: ratio(one.examples_per_second, torch1.examples_per_second),
  [`ratio_${cores}`]: ratio(many.examples_per_second, torchN.examples_per_second),
  [`ratio_${cores}_range`]: range(runs.many, runs.torchN),
  webgpu: gpu.error ? undefined : gpu.examples_per_second,
  webgpu_adapter: gpu.error
    ? `none (${gpu.error.slice(0, 160)})`
    : `${gpu.adapter?.description ?? gpu.adapter?.device ?? 'unknown'}${gpu.adapter?.software ? ' (software)' : ''}`,
  ...(workload.sampling
    ? {
        genzoo_samples_per_s: one.sampling_images_per_second,
        pytorch_samples_per_s_1t: torch1.sampling_images_per_second,
        pytorch_samples_per_s_nt: torchN.sampling_images_per_second,
        webgpu_samples_per_s: gpu.error ? undefined : gpu.sampling_images_per_second,
        ...(gpu.sampling_error ? { webgpu_sampling: `failed: ${gpu.sampling_error.slice(0, 120)}` } : {}),
      }
    : {}),
  blas: torch1.blas,
  pytorch: torch1.backend,
  steps: `genzoo ${steps} (${one.timed_steps} timed), pytorch ${pytorchSteps}; median of ${repeats}`,
};
console.log(JSON.stringify({ rows: [row] }));
