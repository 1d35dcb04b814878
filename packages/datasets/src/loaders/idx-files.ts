/** MNIST-layout datasets (MNIST, Fashion-MNIST): four idx files, train and t10k, images and labels. */
import { readFile } from 'node:fs/promises';
import { DataError } from '@genzoo/core';
import { maybeGunzip } from '../formats/gunzip-node.js';
import { parseIdxImages, parseIdxLabels } from '../formats/idx.js';
import { IDX_FILES, type IdxFileName } from '../sources/catalog.js';
import type { Located } from '../sources/locate.js';
import { type IdxContent, type IdxFileBytes, verifyIdxContent } from './idx-content.js';

export interface LabelledBytes {
  count: number;
  /** count × rowSize bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

async function readIdxFile(path: string): Promise<IdxFileBytes> {
  const stored = new Uint8Array(await readFile(path));
  return { path, stored, bytes: maybeGunzip(stored, path) };
}

/** Parses one images/labels pair of 28 × 28 images with labels in 0..9 and checks they match. */
function parseIdxPair(images: IdxFileBytes, labels: IdxFileBytes): LabelledBytes {
  const parsed = parseIdxImages(images.bytes, images.path, { rows: 28, cols: 28 });
  const labelBytes = parseIdxLabels(labels.bytes, labels.path, 10);
  if (labelBytes.length !== parsed.count) {
    throw new DataError(
      `${labels.path}: ${labelBytes.length} labels for the ${parsed.count} images of ${images.path}`,
    );
  }
  return { count: parsed.count, pixels: parsed.pixels, labels: labelBytes };
}

/** Reads one images/labels pair (raw or gzipped); see parseIdxPair. */
export async function readIdxPair(imagesPath: string, labelsPath: string): Promise<LabelledBytes> {
  return parseIdxPair(await readIdxFile(imagesPath), await readIdxFile(labelsPath));
}

/** Reads the four files and checks they hold the dataset `content` describes (see idx-content.ts). */
export async function readIdxSplits(
  located: Located,
  content: IdxContent,
): Promise<{ train: LabelledBytes; test: LabelledBytes }> {
  const files = {} as Record<IdxFileName, IdxFileBytes>;
  for (const name of IDX_FILES) files[name] = await readIdxFile(located.files[name]);
  const splits = {
    train: parseIdxPair(files['train-images-idx3-ubyte'], files['train-labels-idx1-ubyte']),
    test: parseIdxPair(files['t10k-images-idx3-ubyte'], files['t10k-labels-idx1-ubyte']),
  };
  verifyIdxContent(content, files, splits);
  return splits;
}
