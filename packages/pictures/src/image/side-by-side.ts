/** Pictures placed in one row, top-aligned, with a gap between them (e.g. data beside a learned density). */
import { Canvas } from './canvas.js';
import type { Rgb, RgbaImage } from './types.js';

export function sideBySide(
  images: readonly RgbaImage[],
  options: { gap?: number; background?: Rgb } = {},
): RgbaImage {
  const gap = options.gap ?? 8;
  const width = images.reduce((sum, image) => sum + image.width, 0) + gap * Math.max(0, images.length - 1);
  const height = Math.max(1, ...images.map((image) => image.height));
  const canvas = new Canvas(width, height, options.background);
  let left = 0;
  for (const image of images) {
    for (let y = 0; y < image.height; y++) {
      const row = image.data.subarray(4 * y * image.width, 4 * (y + 1) * image.width);
      canvas.data.set(row, 4 * (y * width + left));
    }
    left += image.width + gap;
  }
  return { width, height, data: canvas.data };
}
