/**
 * Heatmaps of values on a regular 2-D grid, e.g. a model's density or log-density over the plane, and
 * the grid points to evaluate it on.
 */

import { ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Colormap, colormap } from './colors.js';
import type { Range } from './ticks.js';
import type { RgbaImage } from './types.js';

export interface HeatmapOptions {
  /** Values mapped to the colormap's ends (default: the finite min and max); others are clipped. */
  range?: Range;
  colormap?: Colormap;
  /** Pixels per grid cell (default: so the longer side is about 256 pixels). */
  cellSize?: number;
  /**
   * 'lower' (default): row 0 is drawn at the bottom, as for y increasing upwards (the layout of
   * `heatmapGrid`); 'upper': row 0 at the top, as for images.
   */
  origin?: 'lower' | 'upper';
}

/**
 * The centres of a rows × cols grid over `bounds`, as [rows·cols, 2] (x, y) points, row-major with
 * row 0 at the lowest y. Reshape values computed on them to [rows, cols] for `densityHeatmap`.
 */
export function heatmapGrid(bounds: { x: Range; y: Range }, rows: number, cols: number): tf.Tensor2D {
  const points = new Float32Array(rows * cols * 2);
  const dx = (bounds.x[1] - bounds.x[0]) / cols;
  const dy = (bounds.y[1] - bounds.y[0]) / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      points[2 * (r * cols + c)] = bounds.x[0] + (c + 0.5) * dx;
      points[2 * (r * cols + c) + 1] = bounds.y[0] + (r + 0.5) * dy;
    }
  }
  return tf.tensor2d(points, [rows * cols, 2]);
}

/** Values [rows, cols] as a colour image; −∞ takes the low colour, +∞ the high one, NaN is black. */
export function densityHeatmap(values: tf.Tensor, options: HeatmapOptions = {}): RgbaImage {
  if (values.rank !== 2)
    throw new ShapeError(`densityHeatmap: expected values [rows, cols], got [${values.shape}]`);
  const [rows, cols] = values.shape;
  const data = values.dataSync();
  const [lo, hi] = options.range ?? finiteRange(data);
  const cell = options.cellSize ?? Math.max(1, Math.round(256 / Math.max(rows, cols)));
  const name = options.colormap ?? 'viridis';
  const width = cols * cell;
  const height = rows * cell;
  const out = new Uint8Array(width * height * 4);
  for (let r = 0; r < rows; r++) {
    const row = options.origin === 'upper' ? r : rows - 1 - r;
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      const color = Number.isNaN(v)
        ? ([0, 0, 0] as const)
        : colormap(name, hi > lo ? (v - lo) / (hi - lo) : 0.5);
      for (let y = row * cell; y < (row + 1) * cell; y++) {
        for (let x = c * cell; x < (c + 1) * cell; x++) out.set([...color, 255], 4 * (y * width + x));
      }
    }
  }
  return { width, height, data: out };
}

function finiteRange(values: ArrayLike<number>): Range {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}
