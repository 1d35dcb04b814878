// Runs a PyTorch reference implementation (Debian's python3-torch) and passes its JSON result through.
// When PyTorch is not installed the entry fails with the reason, and the rest of the suite still runs.
//
//   node reference/pytorch.mjs '{"script":"pytorch_vae.py","args":{…},"testSet":{"dataset":…,"options":…}}'
//
// With `testSet`, the reference is evaluated on genzoo's own test split — loaded and transformed by
// @genzoo/datasets (for binarized data: the same fixed binarization) — written as raw bytes and passed as
// `--test-file`, so both implementations are scored on identical images.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets';

const here = dirname(fileURLToPath(import.meta.url));
const { script, args, testSet } = JSON.parse(process.argv[2] ?? '{}');
const python = process.env.GENZOO_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(
    `PyTorch is not available to ${python} (install Debian's python3-torch, or set GENZOO_PYTHON)`,
  );
  process.exit(1);
}

/** Writes the binary test split of `dataset` as one byte per pixel; returns the file's path. */
async function writeBinaryTestSet(dir, { dataset, options }) {
  await initBackend({ force: 'cpu', quiet: true });
  const { test } = await loadDataset(dataset, options);
  if (test.values.kind !== 'binary') {
    throw new Error(`testSet ${dataset}: the reference reads binary data, got ${test.values.kind} values`);
  }
  const batch = test.getBatch(Array.from({ length: test.size }, (_, i) => i));
  const bytes = Uint8Array.from(await batch.x.data());
  batch.x.dispose();
  batch.labels?.dispose();
  batch.condition?.dispose();
  const path = join(dir, `${dataset}-test.u8`);
  writeFileSync(path, bytes);
  return path;
}

const scratch = mkdtempSync(join(tmpdir(), 'genzoo-reference-'));
try {
  const fileArgs = testSet ? { 'test-file': await writeBinaryTestSet(scratch, testSet) } : {};
  const flags = Object.entries({ ...args, ...fileArgs }).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const run = spawnSync(python, [join(here, script), ...flags], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  process.stdout.write(run.stdout);
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
