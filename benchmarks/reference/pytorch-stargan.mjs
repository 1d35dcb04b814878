// Runs the PyTorch StarGAN reference (pytorch_stargan.py) on genzoo's stargan recipe and scores its
// translations exactly as a genzoo run is scored: the script trains on genzoo's own mnist-10k-domains
// splits (written here), translates the first n test images to every domain, and those translations are
// replayed to @genzoo/evaluation's scorer as a multi-domain translation model's (`translateTo` returns the
// stored translations to the asked domain, in test order), through the same cached domain classifier.
// The reconstruction error is the script's, on the whole test split with genzoo's targets. Writes the
// reference's picture (samples.png: test images beside their translations to every domain) beside
// genzoo's run, and prints one results row.
//
//   node reference/pytorch-stargan.mjs '{"model":…,"recipe":…,"metric":…,"dataset":…,"datasetOptions":…,"n":…,"seed":…,"out":…,"flags":{…}}'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { tf } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { scoreSamples } from '@genzoo/evaluation/node';
import { writeMultiDomainPicture } from '@genzoo/pictures/node';
import { requirePytorch, runReferenceScript } from './python.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
requirePytorch();

await initBackend({ quiet: true });
const data = await loadDataset(spec.dataset, spec.datasetOptions);
const { eventShape, numClasses: K } = data.train;
const size = eventShape.reduce((a, b) => a * b, 1);

/** A split's images (float32 NHWC) and domain labels (uint8) as files. */
async function writeSplit(split, prefix) {
  const batch = split.getBatch(Int32Array.from({ length: split.size }, (_, i) => i));
  writeFileSync(`${prefix}.f32`, new Uint8Array((await batch.x.data()).buffer));
  writeFileSync(`${prefix}.labels`, Uint8Array.from(await batch.labels.data()));
  tf.dispose([batch.x, batch.labels, batch.condition].filter(Boolean));
}

/** The stored translations [K, n, ...] as a multi-domain translation model, each domain read in order. */
function replayTranslations(name, translations, n) {
  const next = new Array(K).fill(0);
  return {
    name,
    config: {},
    eventShape,
    domainShape: eventShape,
    numDomains: K,
    likelihood: { kind: 'none' },
    variables: () => ({}),
    trainingPlan: () => {
      throw new Error(`${name}: replayed translations cannot be trained`);
    },
    sample: () => {
      throw new Error(`${name}: replayed translations are read with translateTo`);
    },
    translateTo(x, targets) {
      const count = x.shape[0];
      const k = tf.tidy(() => tf.argMax(targets, 1).dataSync()[0]);
      const start = (k * n + next[k]) * size;
      next[k] += count;
      return tf.tensor(translations.subarray(start, start + count * size), [count, ...eventShape]);
    },
    dispose: () => {},
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'genzoo-pytorch-stargan-'));
try {
  await writeSplit(data.train, join(scratch, 'train'));
  await writeSplit(data.test, join(scratch, 'test'));
  const out = join(scratch, 'translations.f32');
  const result = runReferenceScript('pytorch_stargan.py', {
    ...spec.flags,
    domains: K,
    'train-images': join(scratch, 'train.f32'),
    'train-labels': join(scratch, 'train.labels'),
    'test-images': join(scratch, 'test.f32'),
    'test-labels': join(scratch, 'test.labels'),
    'test-n': spec.n,
    'translations-out': out,
  });
  const translations = new Float32Array(readFileSync(out).buffer.slice(0));
  const name = `pytorch/${spec.model}`;
  const { metrics } = await scoreSamples({
    model: replayTranslations(name, translations, spec.n),
    modelName: name,
    datasetName: spec.dataset,
    data,
    n: spec.n,
    seed: spec.seed,
    quiet: true,
  });
  mkdirSync(spec.out, { recursive: true });
  const range = data.train.values.kind === 'continuous' ? data.train.values.range : [0, 1];
  writeMultiDomainPicture(replayTranslations(name, translations, spec.n), join(spec.out, 'samples.png'), {
    data: data.test,
    count: 8,
    range,
  });
  const row = {
    model: spec.model,
    recipe: spec.recipe,
    dataset: spec.dataset,
    metric: spec.metric,
    value: metrics[spec.metric],
    ...metrics,
    recon_error: result.recon_error,
    examples_per_second: result.examples_per_second,
    steps_per_second: result.steps_per_second,
    peak_memory_mb: result.peak_memory_mb,
    seconds: result.seconds,
    steps: result.steps,
    backend: result.backend,
    files: { samples: resolve(spec.out, 'samples.png') },
  };
  console.log(JSON.stringify({ rows: [row] }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
