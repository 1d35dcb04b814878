// Runs a PyTorch two-stage reference — `script`: pytorch_vqvae.py (a `vq-vae-prior` recipe and the `vq-vae`
// recipe it starts from) or pytorch_vqvae2.py (`vq-vae-2-prior` and `vq-vae-2`) — on one pair of genzoo
// recipes, on genzoo's own data, and scores its samples exactly as a genzoo run is scored:
//
// - the training images go to the script as their bytes (it dequantizes every batch afresh, as genzoo's
//   `dequantize` option does), the test values as float32, exactly those genzoo's evaluation feeds its
//   models (the run seed's one fixed noise draw, the recipe's evaluation limit), with labels;
// - the samples it writes are replayed to @genzoo/evaluation's scorer as a model's draws (`replaySamples`;
//   a class-conditional prior's samples come with labels i mod classes, the order the scorer asks for),
//   against the same test images, through the same reference classifier — where the recipe's evaluation
//   scores samples (`n`, its `score.n`); otherwise, as in genzoo's evaluation, nothing is scored and the
//   script draws only the picture's few samples.
//
// Both scripts print {"vqvae": first-stage row, "prior": two-stage row}. Writes the reference's sample grid
// (samples.png) beside genzoo's runs and prints the two-stage model's results row (`pytorch/<recipe>`),
// preceded with `reportFirstStage` by the first stage's (`pytorch/<vqRecipe>`).
//
//   node reference/pytorch-vqvae.mjs '{"script":…,"recipe":…,"vqRecipe":…,"reportFirstStage":…,"dataset":…,"datasetOptions":…,"limit":…,"n":…,"seed":…,"out":…,"flags":{…}}'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { tf } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { replaySamples, scoreSamples } from '@genzoo/evaluation/node';
import { writeSamplePicture } from '@genzoo/pictures/node';
import { readReferenceSamples, requirePytorch, runReferenceScript } from './python.mjs';
import { evaluatedValues, trainingBytes } from './splits.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
requirePytorch();

await initBackend({ quiet: true });
const data = await loadDataset(spec.dataset, spec.datasetOptions);
const { eventShape, numClasses } = data.train;
if (data.train.values.kind !== 'continuous' || !data.train.values.dequantized) {
  throw new Error(
    `the VQ-VAE reference trains on dequantized 8-bit images, got ${JSON.stringify(data.train.values)}`,
  );
}
const scratch = mkdtempSync(join(tmpdir(), 'genzoo-pytorch-vqvae-'));
/** Samples drawn for the picture alone when the recipe does not score samples. */
const PICTURE_SAMPLES = 20;

/** Writes the training split's bytes k = round(255 x) of the images before dequantization, and labels. */
async function writeTrainingBytes(files) {
  const { bytes, labels } = await trainingBytes(spec.dataset, spec.datasetOptions, 'dequantize');
  writeFileSync(files.train, bytes);
  if (labels) writeFileSync(files.trainLabels, labels);
  return Boolean(labels);
}

/** Writes the test values genzoo evaluates (float32) and their labels. */
async function writeTestValues(files) {
  writeFileSync(files.test, new Uint8Array((await evaluatedValues(data.test, spec.seed, spec.limit)).buffer));
  const count = Math.min(spec.limit ?? data.test.size, data.test.size);
  const batch = data.test.getBatch(Int32Array.from({ length: count }, (_, i) => i));
  const labelled = Boolean(batch.labels);
  if (labelled) writeFileSync(files.testLabels, Uint8Array.from(await batch.labels.data()));
  tf.dispose([batch.x, batch.labels, batch.condition].filter(Boolean));
  return labelled;
}

try {
  const files = {
    train: join(scratch, 'train.u8'),
    trainLabels: join(scratch, 'train-labels.u8'),
    test: join(scratch, 'test.f32'),
    testLabels: join(scratch, 'test-labels.u8'),
    samples: join(scratch, 'samples.f32'),
  };
  const labelled = (await writeTrainingBytes(files)) && (await writeTestValues(files));
  const flags = {
    ...spec.flags,
    'train-file': files.train,
    'test-file': files.test,
    ...(labelled ? { 'train-labels': files.trainLabels, 'test-labels': files.testLabels } : {}),
    shape: eventShape.join(','),
    levels: data.train.values.levels ?? 256,
    samples: spec.n ?? PICTURE_SAMPLES,
    'samples-out': files.samples,
    seed: spec.seed,
  };
  const result = runReferenceScript(spec.script, flags);

  // A conditional model's samples come with their labels; the scorer asks for classes in turn (i mod K).
  const { samples, conditional } = readReferenceSamples(files.samples, numClasses);
  const modelName = `pytorch/${spec.recipe.split('/')[0]}`;
  const replayed = () => replaySamples(modelName, samples, eventShape, conditional);
  const scored = spec.n
    ? await scoreSamples({
        model: replayed(),
        modelName,
        datasetName: spec.dataset,
        data,
        n: spec.n,
        seed: spec.seed,
        quiet: true,
      })
    : undefined;
  mkdirSync(spec.out, { recursive: true });
  writeSamplePicture(replayed(), join(spec.out, 'samples.png'), {
    n: Math.min(flags.samples, conditional ? conditional * 8 : 64),
    data: data.train,
    numClasses: conditional,
    range: data.train.values.range,
  });
  const [vqModel, vqName] = spec.vqRecipe.split('/');
  const [model, name] = spec.recipe.split('/');
  const firstStage = {
    ...result.vqvae,
    id: `pytorch/${spec.vqRecipe}`,
    model: vqModel,
    recipe: vqName,
    dataset: spec.dataset,
  };
  const rows = [
    ...(spec.reportFirstStage ? [firstStage] : []),
    {
      ...result.prior,
      ...scored?.metrics,
      id: `pytorch/${spec.recipe}`,
      model,
      recipe: name,
      dataset: spec.dataset,
      files: { samples: resolve(spec.out, 'samples.png') },
    },
  ];
  console.log(JSON.stringify({ rows }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
