/**
 * PNG encoding and decoding with pngjs. Encoding picks the smallest lossless colour type: grayscale when
 * every pixel is gray and opaque, RGB when opaque, RGBA otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, ResourceError, ShapeError } from '@genzoo/core';
import pngjs from 'pngjs';
import type { RgbaImage } from './image/types.js';

const GRAY = 0;
const RGB = 2;
const RGBA = 6;

function colorTypeOf(data: Uint8Array): 0 | 2 | 6 {
  let gray = true;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] !== 255) return RGBA;
    if (gray && (data[i] !== data[i + 1] || data[i] !== data[i + 2])) gray = false;
  }
  return gray ? GRAY : RGB;
}

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ShapeError(`PNG size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new ShapeError(
      `RGBA data of a ${width}×${height} image must have ${width * height * 4} bytes, got ${data.length}`,
    );
  }
  const png = new pngjs.PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return pngjs.PNG.sync.write(png, { colorType: colorTypeOf(data) });
}

/** Writes the image as a PNG file, creating missing parent directories. */
export function writePng(path: string, image: RgbaImage): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(image));
}

/**
 * Pixels decodePng accepts by default: 4096 × 4096 (64 MiB of RGBA), far above the models' images; a
 * small file can declare 12000 × 12000 pixels and make the decoder allocate gigabytes.
 */
const MAX_PNG_PIXELS = 4096 * 4096;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The width and height a PNG declares, read from its header: the signature, then the IHDR chunk (length,
 * type, width and height as big-endian 32-bit integers at bytes 16–23).
 */
function declaredSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new DataError('not a PNG file (it does not start with the PNG signature)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== 'IHDR') throw new DataError(`a PNG's first chunk must be IHDR, found "${type}"`);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decodes any PNG into RGBA. The size the header declares is checked first: above `maxPixels` the file is
 * refused with a ResourceError before the decoder allocates anything.
 */
export function decodePng(bytes: Uint8Array, { maxPixels = MAX_PNG_PIXELS } = {}): RgbaImage {
  const { width, height } = declaredSize(bytes);
  if (width * height > maxPixels) {
    throw new ResourceError(
      `its header declares ${width}×${height} pixels, more than the ${maxPixels.toLocaleString('en-US')} ` +
        'genzoo decodes; scale the picture down first',
    );
  }
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}
