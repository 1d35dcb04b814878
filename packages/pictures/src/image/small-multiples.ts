/**
 * Training curves as small multiples: one panel per metric, each on its own y-axis, in a grid. On one
 * shared axis an ELBO in the hundreds flattens a β in [0, 1] or a gradient norm into a line along the
 * frame; a panel each keeps every curve readable (Tufte's small multiples).
 */
import { Canvas } from './canvas.js';
import type { LineSeries } from './line-plot.js';
import { linePlotPng } from './line-plot-png.js';
import { linePlotSvg } from './line-plot-svg.js';
import type { RgbaImage } from './types.js';

export interface SmallMultiplesOptions {
  /** Panels per row (default: up to 3). */
  columns?: number;
  /** Pixels of one panel (default 360 × 240). */
  panelWidth?: number;
  panelHeight?: number;
  /** The x-axis label of every panel, e.g. `step`. */
  xLabel?: string;
}

const PANEL = { width: 360, height: 240 };

function layout(count: number, options: SmallMultiplesOptions) {
  const columns = Math.max(1, Math.min(options.columns ?? 3, count));
  return {
    columns,
    rows: Math.max(1, Math.ceil(count / columns)),
    width: options.panelWidth ?? PANEL.width,
    height: options.panelHeight ?? PANEL.height,
  };
}

/** One panel per series, titled with its name, tiled row by row. */
export function smallMultiplesPng(
  series: readonly LineSeries[],
  options: SmallMultiplesOptions = {},
): RgbaImage {
  const { columns, rows, width, height } = layout(series.length, options);
  const canvas = new Canvas(columns * width, rows * height);
  series.forEach((s, i) => {
    const panel = linePlotPng([s], { title: s.name, xLabel: options.xLabel, width, height });
    const left = (i % columns) * width;
    const top = Math.floor(i / columns) * height;
    for (let y = 0; y < height; y++) {
      canvas.data.set(
        panel.data.subarray(4 * y * width, 4 * (y + 1) * width),
        4 * ((top + y) * canvas.width + left),
      );
    }
  });
  return { width: canvas.width, height: canvas.height, data: canvas.data };
}

/** The same grid as one SVG document: each panel a nested `<svg>` placed at its cell. */
export function smallMultiplesSvg(
  series: readonly LineSeries[],
  options: SmallMultiplesOptions = {},
): string {
  const { columns, rows, width, height } = layout(series.length, options);
  const total = { width: columns * width, height: rows * height };
  const panels = series.map((s, i) =>
    linePlotSvg([s], { title: s.name, xLabel: options.xLabel, width, height }).replace(
      '<svg ',
      `<svg x="${(i % columns) * width}" y="${Math.floor(i / columns) * height}" `,
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total.width}" height="${total.height}" viewBox="0 0 ${total.width} ${total.height}">`,
    `<rect width="${total.width}" height="${total.height}" fill="#ffffff"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
