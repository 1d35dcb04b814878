/** Training curves as a raster image (encode with `encodePng`): the SVG plot's layout, drawn pixel by pixel. */
import { Canvas } from './canvas.js';
import { paletteColor } from './colors.js';
import {
  finiteRuns,
  LINE_PLOT_DEFAULTS,
  type LinePlotOptions,
  type LineSeries,
  lineRanges,
} from './line-plot.js';
import { plotFrame } from './plot-frame.js';
import { drawAxes, drawLegend, RASTER_TEXT } from './raster-axes.js';
import type { RgbaImage } from './types.js';

export function linePlotPng(series: readonly LineSeries[], options: LinePlotOptions = {}): RgbaImage {
  const width = options.width ?? LINE_PLOT_DEFAULTS.width;
  const height = options.height ?? LINE_PLOT_DEFAULTS.height;
  const ranges = lineRanges(series);
  const f = plotFrame(ranges.x, ranges.y, { ...options, width, height, ...RASTER_TEXT });
  const canvas = new Canvas(width, height);
  drawAxes(canvas, f, options);
  series.forEach((s, i) => {
    const color = paletteColor(i);
    for (const run of finiteRuns(s.points)) {
      const pixels = run.map(([x, y]) => [f.x(x), f.y(y)] as const);
      // A lone point has no segment to stroke: mark it with a dot.
      if (pixels.length === 1) canvas.fillDisc(pixels[0][0], pixels[0][1], 2, color);
      else canvas.strokePolyline(pixels, color, 1.5);
    }
  });
  drawLegend(
    canvas,
    f,
    series.map((s, i) => ({ name: s.name, color: paletteColor(i) })),
  );
  return { width, height, data: canvas.data };
}
