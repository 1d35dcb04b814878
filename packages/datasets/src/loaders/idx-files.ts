/** MNIST-layout datasets (MNIST, Fashion-MNIST): four idx files, train and t10k, images and labels. */
import { readFile } from 'node:fs/promises';
import { DataError } from '@genzoo/core';
import { maybeGunzip } from '../formats/gzip.js';
import { parseIdxImages, parseIdxLabels } from '../formats/idx.js';
import type { Located } from '../sources/locate.js';

export interface LabelledBytes {
  count: number;
  /** count × rowSize bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

async function readBytes(path: string): Promise<Uint8Array> {
  return maybeGunzip(new Uint8Array(await readFile(path)), path);
}

/** Reads one images/labels pair of 28 × 28 images with labels in 0..9 and checks they match. */
export async function readIdxPair(imagesPath: string, labelsPath: string): Promise<LabelledBytes> {
  const images = parseIdxImages(await readBytes(imagesPath), imagesPath, { rows: 28, cols: 28 });
  const labels = parseIdxLabels(await readBytes(labelsPath), labelsPath, 10);
  if (labels.length !== images.count) {
    throw new DataError(
      `${labelsPath}: ${labels.length} labels for the ${images.count} images of ${imagesPath}`,
    );
  }
  return { count: images.count, pixels: images.pixels, labels };
}

export async function readIdxSplits(
  located: Located,
): Promise<{ train: LabelledBytes; test: LabelledBytes }> {
  const f = located.files;
  return {
    train: await readIdxPair(f['train-images-idx3-ubyte'], f['train-labels-idx1-ubyte']),
    test: await readIdxPair(f['t10k-images-idx3-ubyte'], f['t10k-labels-idx1-ubyte']),
  };
}
