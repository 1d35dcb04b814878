// Runs the PyTorch PixelVAE reference (pytorch_pixelvae.py) on one genzoo `pixel-vae` recipe, on genzoo's own
// data:
//
// - the training images go to the script as their grey levels (bytes k = round(255 p)): it binarizes every
//   batch afresh, x ~ Bernoulli(p), as genzoo's `binarize: 'dynamic'` does;
// - the test values are exactly those genzoo's evaluation feeds its models (the held-out split's one seeded
//   binarization, the recipe's evaluation limit), as float32.
//
// Writes the reference's samples (samples.png) beside genzoo's runs and prints its results row
// (`pytorch/pixel-vae/<recipe>`).
//
//   node reference/pytorch-pixelvae.mjs '{"recipe":…,"dataset":…,"datasetOptions":…,"limit":…,"n":…,"seed":…,"out":…,"flags":{…}}'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { loadDataset } from '@genzoo/datasets/node';
import { replaySamples } from '@genzoo/evaluation/node';
import { writeSamplePicture } from '@genzoo/pictures/node';
import { readReferenceSamples, requirePytorch, runReferenceScript } from './python.mjs';
import { evaluatedValues, trainingBytes } from './splits.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
requirePytorch();

await initBackend({ quiet: true });
const data = await loadDataset(spec.dataset, spec.datasetOptions);
const { eventShape } = data.train;
if (spec.datasetOptions.binarize !== 'dynamic' || data.test.values.kind !== 'binary') {
  throw new Error(
    `the PixelVAE reference trains on dynamically binarized images, got ${JSON.stringify(spec.datasetOptions)}`,
  );
}
const scratch = mkdtempSync(join(tmpdir(), 'genzoo-pytorch-pixelvae-'));

try {
  const files = {
    train: join(scratch, 'train.u8'),
    test: join(scratch, 'test.f32'),
    samples: join(scratch, 'samples.f32'),
  };
  // Grey levels before binarization: the reference binarizes every batch afresh, x ~ Bernoulli(k / 255).
  writeFileSync(files.train, (await trainingBytes(spec.dataset, spec.datasetOptions, 'binarize')).bytes);
  writeFileSync(files.test, new Uint8Array((await evaluatedValues(data.test, spec.seed, spec.limit)).buffer));
  const result = runReferenceScript('pytorch_pixelvae.py', {
    ...spec.flags,
    'train-file': files.train,
    'test-file': files.test,
    shape: eventShape.join(','),
    samples: spec.n,
    'samples-out': files.samples,
    seed: spec.seed,
  });

  const { samples } = readReferenceSamples(files.samples);
  mkdirSync(spec.out, { recursive: true });
  writeSamplePicture(replaySamples('pytorch/pixel-vae', samples, eventShape), join(spec.out, 'samples.png'), {
    n: spec.n,
  });
  const [model, name] = spec.recipe.split('/');
  const row = {
    ...result.row,
    id: `pytorch/${spec.recipe}`,
    model,
    recipe: name,
    dataset: spec.dataset,
    files: { samples: resolve(spec.out, 'samples.png') },
  };
  console.log(JSON.stringify({ rows: [row] }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
