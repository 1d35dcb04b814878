// genzoo's training throughput on one workload of the speed suite: the workload's recipe trained through
// core's runRecipe, as `genzoo train` trains it, with `workers` shards per batch (the main thread and
// worker threads) on `backend`. The rate is of the training loop alone, after `warmup` steps (the first
// steps grow the wasm heap, compile WebGPU shaders); autoregressive workloads also time sampling.
//
//   node benchmarks/speed/genzoo.mjs '{"workload":"conv-vae","workers":2,"backend":"wasm","steps":30}'
import { initBackend } from '@genzoo/backends';
import { loadPlugins } from '@genzoo/cli';
import { resolveRecipe, runRecipe, tf } from '@genzoo/core';
import { nodeGradientWorkers } from '@genzoo/core/node';
import { loadDataset } from '@genzoo/datasets/node';
import { WORKLOADS } from './workloads.mjs';

const {
  workload: id,
  workers = 1,
  backend = 'wasm',
  steps,
  warmup = 3,
  samples = 4,
} = JSON.parse(process.argv[2] ?? '{}');
const workload = WORKLOADS.find((w) => w.id === id);
if (!workload)
  throw new Error(`unknown workload "${id}"; expected one of ${WORKLOADS.map((w) => w.id).join(', ')}`);

const info = await initBackend({ force: backend, quiet: true });
await loadPlugins();
const resolved = resolveRecipe({
  model: workload.model,
  recipe: workload.recipe,
  steps: steps ?? workload.steps,
  set: [
    ...Object.entries(workload.config ?? {}).map(([key, value]) => ({ path: [key], value })),
    { path: ['train', 'workers'], value: workers },
    { path: ['train', 'checkpointSeconds'], value: 0 },
  ],
});
const data = await loadDataset(resolved.dataset, resolved.datasetOptions);
const stepEnds = [];
let batchesPerStep = 1;
const setup = { module: new URL('./worker-setup.mjs', import.meta.url).href, data: { backend: info.name } };
const {
  model,
  result,
  workers: pool,
} = await runRecipe(resolved, {
  train: data.train,
  callbacks: [
    {
      onTrainBegin: (begin) => {
        batchesPerStep = begin.batchesPerStep;
      },
      onStepEnd: () => void stepEnds.push(performance.now()),
    },
  ],
  workers: { pool: (threads) => nodeGradientWorkers({ threads, setup }) },
});
const timed = stepEnds.length - 1 - warmup;
if (timed < 1) throw new Error(`${stepEnds.length} steps leave none to time after ${warmup} warm-up steps`);
// Every repeat of every player consumes a batch (a DCGAN step: one for D, one for G).
const examples = timed * resolved.train.batchSize * batchesPerStep;
const seconds = (stepEnds[stepEnds.length - 1] - stepEnds[warmup]) / 1000;
const row = {
  workload: id,
  workers: result.workers,
  backend: info.name,
  adapter: info.adapter,
  batch: resolved.train.batchSize,
  batches_per_step: batchesPerStep,
  steps: stepEnds.length,
  timed_steps: timed,
  examples_per_second: examples / seconds,
  trainer_examples_per_second: result.trainExamplesPerSecond,
};
if (workload.sampling) {
  try {
    tf.dispose(model.sample(1, { seed: 1 }));
    const start = performance.now();
    tf.dispose(model.sample(samples, { seed: 2 }));
    row.sampling_images_per_second = samples / ((performance.now() - start) / 1000);
  } catch (error) {
    // Autoregressive sampling reads each drawn pixel back synchronously, which WebGPU in Node cannot.
    row.sampling_error = error instanceof Error ? error.message : String(error);
  }
}
await pool?.close();
model.dispose();
console.log(JSON.stringify({ rows: [row] }));
