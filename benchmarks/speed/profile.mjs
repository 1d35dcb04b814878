// Where a speed workload's training step spends its time on a backend: the tfjs kernels of one gradient
// update (the first player's), by kernel and input shapes, averaged over `steps` profiled steps after
// warm-up — the profile that picks the kernel pack's next kernel.
//
//   node benchmarks/speed/profile.mjs '{"workload":"pixelcnn","backend":"wasm","steps":5,"top":25}'
import { initBackend } from '@genzoo/backends';
import { loadPlugins } from '@genzoo/cli';
import { createOptimizer, defaultRegistry, gradientUpdate, resolveRecipe, tf } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { WORKLOADS } from './workloads.mjs';

const {
  workload: id,
  backend = 'wasm',
  steps = 5,
  warmup = 3,
  top = 25,
} = JSON.parse(process.argv[2] ?? '{}');
const workload = WORKLOADS.find((w) => w.id === id);
if (!workload)
  throw new Error(`unknown workload "${id}"; expected one of ${WORKLOADS.map((w) => w.id).join(', ')}`);
await initBackend({ force: backend, quiet: true });
await loadPlugins();
const resolved = resolveRecipe({
  model: workload.model,
  recipe: workload.recipe,
  steps: 1,
  set: Object.entries(workload.config ?? {}).map(([key, value]) => ({ path: [key], value })),
});
const { train } = await loadDataset(resolved.dataset, resolved.datasetOptions);
const model = defaultRegistry.createModel(resolved.model, resolved.config, {
  eventShape: train.eventShape,
  numClasses: train.numClasses,
  seed: resolved.train.seed,
});
const [player] = model.trainingPlan().players;
if (player.kind !== 'gradient') throw new Error(`${id}: its first player updates in closed form`);
const optimizer = createOptimizer(player.optimizer ?? resolved.train.optimizer);
const batch = train.getBatch(
  Int32Array.from({ length: resolved.train.batchSize }, (_, i) => i),
  { seed: 1 },
);
const variables = player.variables().filter((v) => v.trainable);
const update = (step) =>
  gradientUpdate({ player, variables, optimizer }, batch, { step, nextSeed: () => step });
for (let step = 0; step < warmup; step++) await update(step);

const kernels = new Map();
const start = performance.now();
for (let step = 0; step < steps; step++) {
  const info = await tf.profile(() => update(warmup + step));
  for (const kernel of info.kernels) {
    const key = `${kernel.name} ${kernel.inputShapes.map((s) => `[${s}]`).join(' ')}`;
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    kernels.set(key, (kernels.get(key) ?? 0) + ms);
  }
}
const stepMs = (performance.now() - start) / steps;
const rows = [...kernels].map(([kernel, ms]) => ({ kernel, ms: ms / steps })).sort((a, b) => b.ms - a.ms);
const kernelMs = rows.reduce((sum, r) => sum + r.ms, 0);
console.error(
  `${id} on ${backend}: ${stepMs.toFixed(1)} ms per profiled step, kernels ${kernelMs.toFixed(1)} ms`,
);
for (const r of rows.slice(0, top)) console.error(`${r.ms.toFixed(2).padStart(8)}  ${r.kernel}`);
console.log(
  JSON.stringify({ rows: rows.slice(0, top).map((r) => ({ workload: id, backend, ...r, step_ms: stepMs })) }),
);
