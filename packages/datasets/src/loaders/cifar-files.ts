/**
 * CIFAR-10 binary version: five training batches and one test batch, concatenated in file order. Only
 * downloads are checked against a published digest (the archive's MD5, catalog.ts): no digest of the
 * extracted batch files was at hand, so files found in a folder are checked for their format alone (whole
 * 3073-byte records, labels in 0..9), which CIFAR-100's binary files (other names, 3074-byte records) fail.
 */
import { readFile } from 'node:fs/promises';
import { parseCifarBatch } from '../formats/cifar.js';
import { CIFAR10_FILES } from '../sources/catalog.js';
import type { Located } from '../sources/locate.js';
import type { LabelledBytes } from './idx-files.js';

async function readBatches(paths: readonly string[]): Promise<LabelledBytes> {
  const parts = [];
  for (const path of paths) parts.push(parseCifarBatch(new Uint8Array(await readFile(path)), path));
  const count = parts.reduce((n, p) => n + p.count, 0);
  const pixels = new Uint8Array(parts.reduce((n, p) => n + p.pixels.length, 0));
  const labels = new Uint8Array(count);
  let offset = 0;
  let row = 0;
  for (const part of parts) {
    pixels.set(part.pixels, offset);
    labels.set(part.labels, row);
    offset += part.pixels.length;
    row += part.count;
  }
  return { count, pixels, labels };
}

export async function readCifarSplits(
  located: Located,
): Promise<{ train: LabelledBytes; test: LabelledBytes }> {
  const train = CIFAR10_FILES.filter((f) => f.startsWith('data_batch_')).map((f) => located.files[f]);
  return { train: await readBatches(train), test: await readBatches([located.files['test_batch.bin']]) };
}
