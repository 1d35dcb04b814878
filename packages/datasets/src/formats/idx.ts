/**
 * The idx format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte
 * magic number 0x0000TTNN (TT: element type, 0x08 = unsigned byte; NN: number of dimensions), NN big-endian
 * uint32 dimension sizes, then the elements in row-major order. Images are 0x00000803 = 2051 (count × rows
 * × cols) and labels 0x00000801 = 2049 (count). Every size is checked against the header, so a truncated
 * or corrupt file fails loudly instead of producing garbage examples.
 */
import { DataError } from '@genzoo/core';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, row-major. */
  pixels: Uint8Array;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Reads the header and checks the magic number and the total size; returns dims and the element bytes. */
function readIdx(
  bytes: Uint8Array,
  file: string,
  magic: number,
  what: string,
): { dims: number[]; body: Uint8Array } {
  if (bytes.length < 4) throw new DataError(`${file}: ${bytes.length} bytes is too short for an idx header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magic) {
    throw new DataError(
      `${file}: not an idx ${what} file: magic number ${found} (${hex(found)}), expected ${magic} (${hex(magic)})`,
    );
  }
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DataError(
      `${file}: truncated: ${bytes.length} bytes, the ${ndim}-d idx header alone is ${headerBytes}`,
    );
  }
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    const problem = actual < expected ? 'truncated' : 'has trailing bytes (corrupt)';
    throw new DataError(
      `${file}: ${problem}: the header declares ${dims.join(' × ')} = ${expected} bytes of ${what}, ` +
        `the file holds ${actual}`,
    );
  }
  return { dims, body: bytes.subarray(headerBytes) };
}

/** Parses an idx3 image file; `expected` pins the image size (28 × 28 for MNIST). */
export function parseIdxImages(
  bytes: Uint8Array,
  file: string,
  expected?: { rows: number; cols: number },
): IdxImages {
  const { dims, body } = readIdx(bytes, file, IDX_IMAGES_MAGIC, 'images');
  const [count, rows, cols] = dims;
  if (expected && (rows !== expected.rows || cols !== expected.cols)) {
    throw new DataError(
      `${file}: images are ${rows} × ${cols}, expected ${expected.rows} × ${expected.cols}`,
    );
  }
  if (count === 0) throw new DataError(`${file}: the header declares 0 images`);
  return { count, rows, cols, pixels: body };
}

/** Parses an idx1 label file and checks every label is in [0, numClasses). */
export function parseIdxLabels(bytes: Uint8Array, file: string, numClasses: number): Uint8Array {
  const { body } = readIdx(bytes, file, IDX_LABELS_MAGIC, 'labels');
  for (let i = 0; i < body.length; i++) {
    if (body[i] >= numClasses) {
      throw new DataError(`${file}: label ${body[i]} of example ${i} is outside [0, ${numClasses})`);
    }
  }
  return body;
}
