/**
 * Image batches as one picture: a grid of tiles (torchvision's make_grid), values mapped linearly from
 * `range` to 0–255 and clipped, grayscale tiles drawn as gray RGB. Small images can be enlarged by an
 * integer factor (each pixel a `scale`×`scale` block, no smoothing), so that a grid of 28×28 digits is
 * readable on a screen; `readableScale` picks the factor.
 */

import { ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Rgb, RgbaImage } from './types.js';

export interface ImageGridOptions {
  /** Tiles per row (default ⌈√n⌉). */
  columns?: number;
  /** Pixels between and around tiles (default 2). */
  padding?: number;
  /** Values mapped to black and white (default [0, 1]); values outside are clipped. */
  range?: readonly [number, number];
  /** [height, width, channels] of one image, for flattened input [n, h·w·c]. */
  shape?: readonly [number, number, number];
  /** Colour of the padding (default white). */
  background?: Rgb;
  /** Draw each pixel as a scale × scale block (a positive integer, default 1); padding is not scaled. */
  scale?: number;
}

/** Tiles whose shorter side is below this many pixels are enlarged by `readableScale`. */
export const READABLE_TILE_PIXELS = 96;

/**
 * The integer factor that makes an h × w tile at least `minPixels` (default 96) on its shorter side, at
 * most 8: 28×28 digits → 4 (112 px), 32×32 → 3 (96 px), 64×64 → 2, 96×96 and larger → 1.
 */
export function readableScale(height: number, width: number, minPixels = READABLE_TILE_PIXELS): number {
  const side = Math.min(height, width);
  if (!(side > 0)) throw new ShapeError(`readableScale: tile ${height}×${width} must have a positive size`);
  return Math.min(8, Math.max(1, Math.ceil(minPixels / side)));
}

/** [n, h, w, c] with c ∈ {1, 3}, [n, h, w], or [n, h·w·c] with `options.shape`. */
function tileShape(images: tf.Tensor, options: ImageGridOptions): [number, number, number] {
  const s = images.shape;
  let shape: [number, number, number];
  if (options.shape) {
    shape = [...options.shape];
    const size = shape[0] * shape[1] * shape[2];
    if (s.slice(1).reduce((a, b) => a * b, 1) !== size) {
      throw new ShapeError(`imageGrid: images of shape [${s}] cannot be read as tiles of shape [${shape}]`);
    }
  } else if (s.length === 4) {
    shape = [s[1], s[2], s[3]];
  } else if (s.length === 3) {
    shape = [s[1], s[2], 1];
  } else {
    throw new ShapeError(
      `imageGrid: expected images [n, h, w, c] or [n, h, w] (or pass options.shape), got shape [${s}]`,
    );
  }
  if (shape[2] !== 1 && shape[2] !== 3) {
    throw new ShapeError(`imageGrid: images must have 1 or 3 channels, got ${shape[2]}`);
  }
  return shape;
}

export function imageGrid(images: tf.Tensor, options: ImageGridOptions = {}): RgbaImage {
  const n = images.shape[0];
  if (n === undefined || n < 1) throw new ShapeError('imageGrid: no images');
  return layoutGrid(images.dataSync(), n, tileShape(images, options), options);
}

/** One image [h, w, c] or [h, w] as a picture, without padding. */
export function tensorToImage(
  image: tf.Tensor,
  options: { range?: readonly [number, number] } = {},
): RgbaImage {
  if (image.rank !== 2 && image.rank !== 3) {
    throw new ShapeError(`tensorToImage: expected an image [h, w, c] or [h, w], got shape [${image.shape}]`);
  }
  const [h, w, c = 1] = image.shape;
  if (c !== 1 && c !== 3) throw new ShapeError(`tensorToImage: images must have 1 or 3 channels, got ${c}`);
  return layoutGrid(image.dataSync(), 1, [h, w, c], { padding: 0, range: options.range });
}

function layoutGrid(
  values: ArrayLike<number>,
  n: number,
  [h, w, c]: [number, number, number],
  options: ImageGridOptions,
): RgbaImage {
  const columns = Math.max(1, Math.min(n, options.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / columns);
  const pad = options.padding ?? 2;
  const zoom = options.scale ?? 1;
  if (!Number.isInteger(zoom) || zoom < 1) {
    throw new RangeError(`imageGrid: scale must be a positive integer, got ${zoom}`);
  }
  const [lo, hi] = options.range ?? [0, 1];
  if (!(hi > lo)) throw new RangeError(`imageGrid: range [${lo}, ${hi}] must be increasing`);
  const width = columns * w * zoom + (columns + 1) * pad;
  const height = rows * h * zoom + (rows + 1) * pad;
  const data = new Uint8Array(width * height * 4);
  const background = options.background ?? [255, 255, 255];
  for (let i = 0; i < width * height; i++) data.set([...background, 255], 4 * i);

  const scale = 255 / (hi - lo);
  const toByte = (v: number) => (v > lo ? (v < hi ? Math.round((v - lo) * scale) : 255) : 0);
  for (let k = 0; k < n; k++) {
    const x0 = pad + (k % columns) * (w * zoom + pad);
    const y0 = pad + Math.floor(k / columns) * (h * zoom + pad);
    const base = k * h * w * c;
    for (let y = 0; y < h * zoom; y++) {
      for (let x = 0; x < w * zoom; x++) {
        const src = base + (Math.floor(y / zoom) * w + Math.floor(x / zoom)) * c;
        const dst = 4 * ((y0 + y) * width + x0 + x);
        if (c === 1) {
          const v = toByte(values[src]);
          data[dst] = v;
          data[dst + 1] = v;
          data[dst + 2] = v;
        } else {
          data[dst] = toByte(values[src]);
          data[dst + 1] = toByte(values[src + 1]);
          data[dst + 2] = toByte(values[src + 2]);
        }
      }
    }
  }
  return { width, height, data };
}
