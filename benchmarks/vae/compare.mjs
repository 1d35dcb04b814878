// Scores a recipe entry's trained checkpoint the way its PyTorch reference is scored (same K, same first
// test images, the same fixed binarization), for the quality target of the `vae` suite.
//
//   node vae/compare.mjs '{"model":"vae","recipe":"fashion-mnist","dir":"benchmarks/.work/vae/vae/fashion-mnist","limit":1000,"samples":1000}'
//
// The training columns (examples/s, seconds, steps) are the recipe run's own, from its result.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const { model, recipe, dir, limit, samples } = JSON.parse(process.argv[2] ?? '{}');
const resultPath = join(dir, 'result.json');
if (!existsSync(resultPath)) {
  console.error(`${dir} holds no finished run of ${model}/${recipe}: run that recipe entry first`);
  process.exit(1);
}
const run = JSON.parse(readFileSync(resultPath, 'utf8'));
const cli = join('packages', 'cli', 'dist', 'bin.js');
const evaluation = spawnSync(
  process.execPath,
  [cli, 'eval', dir, '--limit', String(limit), '--samples', String(samples), '--json'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (evaluation.status !== 0) process.exit(evaluation.status ?? 1);
const metrics = JSON.parse(evaluation.stdout.trim().split('\n').pop());
console.log(
  JSON.stringify({
    rows: [
      {
        model: `genzoo ${model}`,
        recipe: `${model}/${recipe}`,
        dataset: `${metrics.dataset} (first ${metrics.examples} test images, K = ${samples})`,
        metric: 'nll_nats',
        value: metrics.nll_nats,
        nll_nats: metrics.nll_nats,
        bits_per_dim: metrics.bits_per_dim,
        elbo: metrics.elbo,
        examples_per_second: run.examples_per_second,
        peak_memory_mb: run.peak_memory_mb,
        seconds: run.seconds,
        steps: run.steps,
        backend: run.backend,
      },
    ],
  }),
);
