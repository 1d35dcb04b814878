// Runs the PyTorch GAN reference (pytorch_gan.py) on one genzoo recipe and scores its samples exactly as a
// genzoo run is scored: the samples it writes are replayed to @genzoo/evaluation's scorer as a model's draws
// (`replaySamples`; pytorch_gan.py draws a conditional model's samples with labels i mod classes, the
// order the scorer asks for them in), against the same test images, through the same reference
// classifier or 2-D mode-coverage test. Writes the
// reference's sample grid (samples.png) and loss curves (losses.png) beside genzoo's run, and prints one
// results row.
//
//   node reference/pytorch-gan.mjs '{"model":…,"recipe":…,"metric":…,"dataset":…,"datasetOptions":…,"n":…,"seed":…,"out":…,"flags":{…}}'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { tf } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { replaySamples, scoreSamples } from '@genzoo/evaluation/node';
import { linePlotPng } from '@genzoo/pictures';
import { writePng, writeSamplePicture } from '@genzoo/pictures/node';
import { readReferenceSamples, requirePytorch, runReferenceScript } from './python.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
requirePytorch();

await initBackend({ quiet: true });
const data = await loadDataset(spec.dataset, spec.datasetOptions);
const { eventShape, numClasses } = data.train;
const scratch = mkdtempSync(join(tmpdir(), 'genzoo-pytorch-gan-'));
try {
  const files = { samples: join(scratch, 'samples.f32'), losses: join(scratch, 'losses.json') };
  const flags = { ...spec.flags, samples: spec.n, 'samples-out': files.samples, 'losses-out': files.losses };
  if (data.train.values.kind === 'continuous' && eventShape.length === 1) {
    // 2-D sets: the reference trains on genzoo's own training points.
    const batch = data.train.getBatch(Int32Array.from({ length: data.train.size }, (_, i) => i));
    flags['train-file'] = join(scratch, 'train.f32');
    writeFileSync(flags['train-file'], new Uint8Array((await batch.x.data()).buffer));
    tf.dispose([batch.x, batch.labels, batch.condition].filter(Boolean));
  }
  const result = runReferenceScript('pytorch_gan.py', flags);
  // A conditional model's samples come with their labels; the scorer asks for classes in turn (i mod K).
  const { samples, conditional } = readReferenceSamples(files.samples, numClasses);
  const { metrics } = await scoreSamples({
    model: replaySamples(`pytorch/${spec.model}`, samples, eventShape, conditional),
    modelName: `pytorch/${spec.model}`,
    datasetName: spec.dataset,
    data,
    n: spec.n,
    seed: spec.seed,
    quiet: true,
  });

  mkdirSync(spec.out, { recursive: true });
  const imageLike = eventShape.length === 3;
  const range = data.train.values.kind === 'continuous' ? data.train.values.range : [0, 1];
  writeSamplePicture(
    replaySamples(`pytorch/${spec.model}`, samples, eventShape, conditional),
    join(spec.out, 'samples.png'),
    {
      n: conditional ? conditional * 8 : imageLike ? 64 : Math.min(1000, spec.n),
      data: data.train,
      numClasses: conditional,
      ...(imageLike ? { range } : {}),
    },
  );
  const losses = JSON.parse(readFileSync(files.losses, 'utf8'));
  const series = ['discriminator', 'generator'].map((player) => ({
    name: `${player}/loss`,
    points: losses.map((entry) => [entry.step, entry[player]]),
  }));
  writePng(
    join(spec.out, 'losses.png'),
    linePlotPng(series, { title: 'PyTorch reference losses', xLabel: 'step' }),
  );

  const row = {
    model: spec.model,
    recipe: spec.recipe,
    dataset: spec.dataset,
    metric: spec.metric,
    value: metrics[spec.metric],
    ...metrics,
    examples_per_second: result.examples_per_second,
    steps_per_second: result.steps_per_second,
    peak_memory_mb: result.peak_memory_mb,
    seconds: result.seconds,
    steps: result.steps,
    backend: result.backend,
    files: { samples: resolve(spec.out, 'samples.png'), losses: resolve(spec.out, 'losses.png') },
  };
  console.log(JSON.stringify({ rows: [row] }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
