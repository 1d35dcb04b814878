/**
 * The layout shared by every plot, raster or SVG: margins sized to the tick labels, title and axis
 * labels, and the maps from data coordinates to pixels (y grows downwards on screen).
 */
import { niceTicks, type Range, type Ticks } from './ticks.js';

export interface FrameOptions {
  width: number;
  height: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Width of one character of label text, in pixels. */
  charWidth: number;
  /** Height of a line of label text, in pixels. */
  lineHeight: number;
}

export interface PlotFrame {
  /** The plotting area, in pixels. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  xRange: Range;
  yRange: Range;
  xTicks: Ticks;
  yTicks: Ticks;
  x(value: number): number;
  y(value: number): number;
}

export const FRAME_PAD = 10;
export const TICK_LENGTH = 4;

export function plotFrame(xRange: Range, yRange: Range, options: FrameOptions): PlotFrame {
  const { width, height, charWidth, lineHeight } = options;
  const xTicks = niceTicks(xRange, Math.max(2, Math.floor(width / 110)));
  const yTicks = niceTicks(yRange, Math.max(2, Math.floor(height / 60)));
  const yLabelWidth = Math.max(0, ...yTicks.labels.map((l) => l.length * charWidth));
  const lastX = xTicks.labels.at(-1) ?? '';
  const left = FRAME_PAD + (options.yLabel ? lineHeight + 6 : 0) + yLabelWidth + 3 + TICK_LENGTH;
  const right = width - Math.max(FRAME_PAD, Math.ceil((lastX.length * charWidth) / 2) + 2);
  const top = options.title ? 2 * FRAME_PAD + lineHeight : FRAME_PAD;
  const bottom = height - (FRAME_PAD + TICK_LENGTH + 3 + lineHeight + (options.xLabel ? 6 + lineHeight : 0));
  if (right - left < 20 || bottom - top < 20) {
    throw new RangeError(`a ${width}×${height} plot leaves no room for the plotting area`);
  }
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  return {
    left,
    top,
    right,
    bottom,
    xRange,
    yRange,
    xTicks,
    yTicks,
    x: (v) => left + ((v - x0) / (x1 - x0)) * (right - left),
    y: (v) => bottom - ((v - y0) / (y1 - y0)) * (bottom - top),
  };
}
