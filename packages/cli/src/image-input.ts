/**
 * PNG files as model input: decoded to RGBA by core's `decodePng`, checked against the model's image size
 * (never resized, so a pixel of the file is a pixel the model sees), and read as values in [0, 1]:
 * the luminance for grayscale models, RGB for colour ones. Alpha is ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '@genzoo/core';
import type { RgbaImage } from '@genzoo/pictures';
import { decodePng } from '@genzoo/pictures/node';

/** Reads the PNG at `path` (named `flag` in errors) and checks that it is width × height pixels. */
export function readImagePng(path: string, height: number, width: number, flag: string): RgbaImage {
  if (!existsSync(path)) throw new ConfigError(`${flag} ${path}: no such file`);
  let image: RgbaImage;
  try {
    image = decodePng(readFileSync(path));
  } catch (error) {
    throw new ConfigError(`${flag} ${path} is not a readable PNG: ${(error as Error).message}`);
  }
  if (image.width !== width || image.height !== height) {
    throw new ConfigError(
      `${flag} ${path} is ${image.width}×${image.height} pixels, but the model takes ${width}×${height} ` +
        'images (complete does not resize: scale or crop the picture first)',
    );
  }
  return image;
}

/** Rec. 601 luma of every pixel, in [0, 1] (exactly the gray level for gray pixels). */
export function luminance(image: RgbaImage): Float32Array {
  const { data } = image;
  const out = new Float32Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) {
    const [r, g, b] = [data[4 * i], data[4 * i + 1], data[4 * i + 2]];
    out[i] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  return out;
}

/** The pixels as `channels` values each (1: luminance, 3: RGB), in [0, 1], row-major. */
export function pixelValues(image: RgbaImage, channels: number): Float32Array {
  if (channels === 1) return luminance(image);
  if (channels !== 3) throw new ConfigError(`cannot read a PNG as ${channels}-channel images`);
  const n = image.width * image.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) out[3 * i + k] = image.data[4 * i + k] / 255;
  }
  return out;
}
