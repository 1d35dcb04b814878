/**
 * The CIFAR-10 binary version (Krizhevsky, "Learning multiple layers of features from tiny images", 2009;
 * https://www.cs.toronto.edu/~kriz/cifar.html): each file is a sequence of 3073-byte records, one label byte
 * in 0..9 followed by a 32 × 32 × 3 image stored channel-major (1024 red, 1024 green, 1024 blue bytes, each
 * plane row-major). genzoo's images are channel-last, so records are converted CHW → HWC.
 */
import { DataError } from '@genzoo/core';

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
const IMAGE_BYTES = PLANE * CIFAR_CHANNELS;
export const CIFAR_RECORD_BYTES = 1 + IMAGE_BYTES;
export const CIFAR_CLASSES = 10;

export interface CifarRecords {
  count: number;
  /** count × 32 × 32 × 3 bytes, HWC. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

export function parseCifarBatch(bytes: Uint8Array, file: string): CifarRecords {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new DataError(
      `${file}: ${bytes.length} bytes is not a whole number of ${CIFAR_RECORD_BYTES}-byte records ` +
        `(1 label + 3 × 32 × 32 pixels): the file is truncated or not a CIFAR-10 binary batch`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const pixels = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const record = n * CIFAR_RECORD_BYTES;
    const label = bytes[record];
    if (label >= CIFAR_CLASSES) {
      throw new DataError(`${file}: record ${n} has label ${label}, outside [0, ${CIFAR_CLASSES})`);
    }
    labels[n] = label;
    const out = n * IMAGE_BYTES;
    for (let c = 0; c < CIFAR_CHANNELS; c++) {
      const plane = record + 1 + c * PLANE;
      for (let p = 0; p < PLANE; p++) pixels[out + p * CIFAR_CHANNELS + c] = bytes[plane + p];
    }
  }
  return { count, pixels, labels };
}
