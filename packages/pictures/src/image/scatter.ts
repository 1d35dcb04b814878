/**
 * Scatter plots of 2-D points, e.g. model samples over the training data, with axes and equal scales
 * on both axes so that shapes (moons, rings) are not distorted.
 */

import { ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import { Canvas } from './canvas.js';
import { paletteColor } from './colors.js';
import { type PlotFrame, plotFrame } from './plot-frame.js';
import { drawAxes, drawLegend, RASTER_TEXT } from './raster-axes.js';
import { dataRange, padRange, type Range } from './ticks.js';
import type { Rgb, RgbaImage } from './types.js';

/** Points as a [n, 2] tensor or a list of pairs. */
export type Points = tf.Tensor | ReadonlyArray<readonly [number, number]>;

export interface ScatterPlotOptions {
  /** Pixels (default 512 × 512). */
  width?: number;
  height?: number;
  /** A second set drawn underneath in another colour, e.g. the training data under the samples. */
  reference?: Points;
  /** Legend names of the two sets (default `samples` and `data`); a legend appears with a reference. */
  labels?: { points?: string; reference?: string };
  /** Shown area; default the extent of both sets (0.5–99.5th percentiles), padded, equal scales. */
  bounds?: { x: Range; y: Range };
  /** Dot radius in pixels (default 1.5). */
  radius?: number;
  colors?: { points?: Rgb; reference?: Rgb };
  title?: string;
}

function toPairs(points: Points, what: string): Float32Array {
  if (Array.isArray(points))
    return Float32Array.from((points as ReadonlyArray<readonly [number, number]>).flat());
  const tensor = points as tf.Tensor;
  if (tensor.rank !== 2 || tensor.shape[1] !== 2) {
    throw new ShapeError(`scatterPlot: ${what} must have shape [n, 2], got [${tensor.shape}]`);
  }
  return Float32Array.from(tensor.dataSync());
}

/** The 0.5th and 99.5th percentiles of the finite values: a few outliers do not shrink the picture. */
function robustRange(values: number[]): Range {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [0, 1];
  const lo = sorted[Math.floor(0.005 * (sorted.length - 1))];
  const hi = sorted[Math.ceil(0.995 * (sorted.length - 1))];
  return dataRange([lo, hi]);
}

/** Widens the narrower range so one data unit spans the same pixels on both axes of the frame. */
function equalScales(f: PlotFrame, x: Range, y: Range): { x: Range; y: Range } {
  const xPerPixel = (x[1] - x[0]) / (f.right - f.left);
  const yPerPixel = (y[1] - y[0]) / (f.bottom - f.top);
  const widen = ([lo, hi]: Range, span: number): Range => {
    const middle = (lo + hi) / 2;
    return [middle - span / 2, middle + span / 2];
  };
  return xPerPixel > yPerPixel
    ? { x, y: widen(y, xPerPixel * (f.bottom - f.top)) }
    : { x: widen(x, yPerPixel * (f.right - f.left)), y };
}

export function scatterPlot(points: Points, options: ScatterPlotOptions = {}): RgbaImage {
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  const sets = [
    ...(options.reference
      ? [
          {
            xy: toPairs(options.reference, 'reference'),
            color: options.colors?.reference ?? paletteColor(0),
            alpha: 0.45,
            name: options.labels?.reference ?? 'data',
          },
        ]
      : []),
    {
      xy: toPairs(points, 'points'),
      color: options.colors?.points ?? paletteColor(1),
      alpha: 0.75,
      name: options.labels?.points ?? 'samples',
    },
  ];
  const frameOptions = { width, height, title: options.title, ...RASTER_TEXT };
  let f: PlotFrame;
  if (options.bounds) {
    f = plotFrame(options.bounds.x, options.bounds.y, frameOptions);
  } else {
    const xs = sets.flatMap((s) => Array.from(s.xy.filter((_, i) => i % 2 === 0)));
    const ys = sets.flatMap((s) => Array.from(s.xy.filter((_, i) => i % 2 === 1)));
    const x = padRange(robustRange(xs), 0.05);
    const y = padRange(robustRange(ys), 0.05);
    const equal = equalScales(plotFrame(x, y, frameOptions), x, y);
    f = plotFrame(equal.x, equal.y, frameOptions);
  }
  const canvas = new Canvas(width, height);
  drawAxes(canvas, f, { title: options.title });
  const radius = options.radius ?? 1.5;
  for (const set of sets) {
    for (let i = 0; i < set.xy.length; i += 2) {
      const px = f.x(set.xy[i]);
      const py = f.y(set.xy[i + 1]);
      // Only inside the plotting area (this also skips non-finite points).
      if (px >= f.left && px <= f.right && py >= f.top && py <= f.bottom) {
        canvas.fillDisc(px, py, radius, set.color, set.alpha);
      }
    }
  }
  if (sets.length > 1) drawLegend(canvas, f, sets.map((s) => ({ name: s.name, color: s.color })).reverse());
  return { width, height, data: canvas.data };
}
