/** Pictures stacked in rows, each named in a column on its left (e.g. samples at several temperatures). */
import { Canvas } from './canvas.js';
import { GLYPH_HEIGHT, textWidth } from './font5x7.js';
import type { RgbaImage } from './types.js';

/** Pixels around a row label of `labelledRows`. */
const LABEL_PAD = 6;

/**
 * Pictures stacked top to bottom, each with its label in a column on the left (vertically centred). The
 * label column is as wide as the longest label; pictures are left-aligned after it.
 */
export function labelledRows(rows: readonly RgbaImage[], labels: readonly string[]): RgbaImage {
  if (rows.length !== labels.length) throw new RangeError('labelledRows: one label per row');
  const labelWidth = Math.max(0, ...labels.map((l) => textWidth(l))) + 2 * LABEL_PAD;
  const width = labelWidth + Math.max(1, ...rows.map((r) => r.width));
  const height = rows.reduce((sum, r) => sum + r.height, 0);
  const canvas = new Canvas(width, Math.max(1, height));
  let top = 0;
  rows.forEach((image, i) => {
    for (let y = 0; y < image.height; y++) {
      const row = image.data.subarray(4 * y * image.width, 4 * (y + 1) * image.width);
      canvas.data.set(row, 4 * ((top + y) * width + labelWidth));
    }
    const middle = top + Math.round((image.height - GLYPH_HEIGHT) / 2);
    canvas.drawText(LABEL_PAD, middle, labels[i], [60, 60, 60]);
    top += image.height;
  });
  return { width, height: canvas.height, data: canvas.data };
}
