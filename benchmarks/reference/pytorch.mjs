// Runs a PyTorch reference implementation (Debian's python3-torch) and passes its JSON result through.
// When PyTorch is not installed the entry fails with the reason, and the rest of the suite still runs.
//
//   node reference/pytorch.mjs '{"script":"pytorch_vae.py","args":{…},"testSet":{"dataset":…,"options":…}}'
//
// With `testSet`, the reference is evaluated on genzoo's own test split — loaded and transformed by
// @genzoo/datasets (for binarized data: the same fixed binarization) — written as one byte per pixel and
// passed as `--test-file`, with `--test-format` saying what the bytes are: `binary` (0/1, binarized data)
// or `u8` (k = round(255·x) of 8-bit data in [0, 1] that is not dequantized), so both implementations are
// scored on identical images. With `testSet.labels`, the split's labels go to `--test-labels` (one byte
// each), for class-conditional references.
//
// With `testSet.trainLevels` (binarized data) the training split's grey levels go to `--train-file` as one
// byte per pixel (k = round(255·x), `--train-format u8`), for a reference that binarizes each batch afresh
// as genzoo does.
//
// With `testSet.format: 'f32'` (continuous data: the 2-D sets, dequantized images) the test split is written
// as float32 little-endian values, row-major [N, ...eventShape], exactly as genzoo's evaluation reads them:
// the values come from evaluateModel itself (its batches and the per-batch seeds it derives from
// `testSet.seed`, the run seed, which is what `genzoo train` evaluates with), so a dequantized test set is
// genzoo's one fixed noise draw. With `testSet.train` the training split goes to `--train-file` too (f32,
// `--train-format f32`), so that both sides train on identical points; only for training splits without
// per-batch noise (the reference draws its own dequantization noise).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@genzoo/backends';
import { loadDataset } from '@genzoo/datasets/node';
import { python, pythonEnv, requirePytorch } from './python.mjs';
import { evaluatedValues } from './splits.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { script, args, testSet } = JSON.parse(process.argv[2] ?? '{}');
requirePytorch();

/** The byte format of a test split's values: `binary` (0/1) or `u8` (8-bit levels k, x = k/255). */
function testFormat(values) {
  if (values.kind === 'binary') return 'binary';
  const [lo, hi] = values.range ?? [];
  if (values.kind === 'continuous' && values.levels === 256 && !values.dequantized && lo === 0 && hi === 1) {
    return 'u8';
  }
  throw new Error(
    `the reference reads binary or 8-bit (256 levels in [0, 1], not dequantized) data, got ${JSON.stringify(values)}`,
  );
}

/**
 * Writes the test split of `dataset` as one byte per pixel (0/1, or k = round(255·x)) and, with `labels`,
 * its labels as one byte per example; returns the flags that pass them to the script.
 */
async function writeTestSet(
  dir,
  { dataset, options, labels = false, format: asked, seed = 0, train = false, trainLevels = false },
) {
  await initBackend({ force: 'cpu', quiet: true });
  if (asked === 'f32') return writeContinuousSplits(dir, { dataset, options, seed, train });
  if (asked !== undefined) throw new Error(`testSet.format: expected f32 or none, got ${asked}`);
  if (train) throw new Error('testSet.train needs testSet.format f32');
  const { test } = await loadDataset(dataset, options);
  const format = testFormat(test.values);
  const batch = test.getBatch(Array.from({ length: test.size }, (_, i) => i));
  const x = await batch.x.data();
  const bytes = format === 'binary' ? Uint8Array.from(x) : Uint8Array.from(x, (v) => Math.round(255 * v));
  const flags = { 'test-file': join(dir, `${dataset}-test.u8`), 'test-format': format };
  writeFileSync(flags['test-file'], bytes);
  if (labels) {
    if (!batch.labels) throw new Error(`testSet ${dataset}: labels asked for, but the split has none`);
    flags['test-labels'] = join(dir, `${dataset}-test-labels.u8`);
    writeFileSync(flags['test-labels'], Uint8Array.from(await batch.labels.data()));
  }
  batch.x.dispose();
  batch.labels?.dispose();
  batch.condition?.dispose();
  if (trainLevels) Object.assign(flags, await writeTrainLevels(dir, dataset, options));
  return flags;
}

/** The training split's grey levels, one byte per pixel, whatever binarization `options` asks for. */
async function writeTrainLevels(dir, dataset, options) {
  const { train } = await loadDataset(dataset, { ...options, binarize: 'none' });
  if (testFormat(train.values) !== 'u8')
    throw new Error(`testSet ${dataset}: the training split is not 8-bit`);
  const batch = train.getBatch(Int32Array.from({ length: train.size }, (_, i) => i));
  const flags = { 'train-file': join(dir, `${dataset}-train.u8`), 'train-format': 'u8' };
  writeFileSync(
    flags['train-file'],
    Uint8Array.from(await batch.x.data(), (v) => Math.round(255 * v)),
  );
  batch.x.dispose();
  batch.labels?.dispose();
  batch.condition?.dispose();
  return flags;
}

/** Float32 test (and with `train`, training) values of continuous data; the flags that pass them. */
async function writeContinuousSplits(dir, { dataset, options, seed, train }) {
  const splits = await loadDataset(dataset, options);
  if (splits.test.values.kind !== 'continuous') {
    throw new Error(
      `testSet ${dataset}: format f32 is for continuous data, got ${JSON.stringify(splits.test.values)}`,
    );
  }
  const flags = { 'test-file': join(dir, `${dataset}-test.f32`), 'test-format': 'f32' };
  writeFileSync(flags['test-file'], new Uint8Array((await evaluatedValues(splits.test, seed)).buffer));
  if (train) {
    const { values } = splits.train;
    if (values.kind !== 'continuous' || values.dequantized) {
      throw new Error(
        `testSet ${dataset}: the training split has per-batch noise (${JSON.stringify(values)}); the reference draws its own`,
      );
    }
    const batch = splits.train.getBatch(Int32Array.from({ length: splits.train.size }, (_, i) => i));
    flags['train-file'] = join(dir, `${dataset}-train.f32`);
    flags['train-format'] = 'f32';
    writeFileSync(flags['train-file'], new Uint8Array((await batch.x.data()).buffer));
    batch.x.dispose();
    batch.labels?.dispose();
    batch.condition?.dispose();
  }
  return flags;
}

const scratch = mkdtempSync(join(tmpdir(), 'genzoo-reference-'));
try {
  const fileArgs = testSet ? await writeTestSet(scratch, testSet) : {};
  const flags = Object.entries({ ...args, ...fileArgs }).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const run = spawnSync(python, [join(here, script), ...flags], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: pythonEnv(),
    maxBuffer: 1 << 26,
  });
  process.stdout.write(run.stdout);
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
