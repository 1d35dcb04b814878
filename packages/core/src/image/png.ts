/**
 * PNG encoding and decoding with pngjs. Encoding picks the smallest lossless colour type: grayscale when
 * every pixel is gray and opaque, RGB when opaque, RGBA otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pngjs from 'pngjs';
import { ShapeError } from '../errors.js';
import type { RgbaImage } from './types.js';

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

/** Decodes any PNG into RGBA. */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}
