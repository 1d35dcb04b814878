/**
 * A bar chart as a raster image (encode with `encodePng`): one bar per named value from zero, each named
 * below its bar (with an optional second line, e.g. a latent group's shape) and its value printed above
 * it, on the plots' shared frame and axes (a value axis only: the bars are categories).
 */
import { Canvas } from './canvas.js';
import { paletteColor } from './colors.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT } from './font5x7.js';
import { type PlotFrame, plotFrame, TICK_LENGTH } from './plot-frame.js';
import { drawAxes, RASTER_TEXT } from './raster-axes.js';
import { formatTick } from './ticks.js';
import type { Rgb, RgbaImage } from './types.js';

export interface Bar {
  /** Name under the bar, e.g. `z1`. */
  label: string;
  /** Second line under the name, e.g. `4x4x20`. */
  detail?: string;
  value: number;
}

export interface BarChartOptions {
  /** Width in pixels (default: 640, or wider so that every bar's labels fit). */
  width?: number;
  /** Height in pixels (default 360). */
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Colour of the bars (default the palette's first). */
  color?: Rgb;
}

export interface BarRect {
  /** Pixel rectangle of the bar: left, top edge (the value's end for a positive value), width, height. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Horizontal centre of the bar, where its labels are centred. */
  center: number;
}

export interface BarChartLayout {
  width: number;
  height: number;
  frame: PlotFrame;
  bars: BarRect[];
}

const LINE = GLYPH_HEIGHT + 3;

/** Where each bar goes: the frame (values from zero up to the largest, padded) and one rectangle per bar. */
export function barChartLayout(bars: readonly Bar[], options: BarChartOptions = {}): BarChartLayout {
  if (bars.length === 0) throw new RangeError('barChart: no bars to draw');
  const widest = Math.max(
    ...bars.flatMap((b) => [b.label, b.detail ?? '', formatValue(b.value)].map((t) => t.length)),
  );
  const slot = Math.max(16, (widest + 2) * GLYPH_ADVANCE);
  const width = options.width ?? Math.max(640, bars.length * slot + 120);
  const height = options.height ?? 360;
  const finite = bars.map((b) => b.value).filter(Number.isFinite);
  // From zero (or the most negative value) to the largest, with room above for the value labels.
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const top = hi > lo ? hi : lo + 1;
  const pad = (top - lo) * 0.08;
  const valueRange: [number, number] = [lo < 0 ? lo - pad : 0, top + pad];
  // The frame leaves one line under the plot for tick labels; bars with details need a second one.
  const detailLines = bars.some((b) => b.detail) ? LINE : 0;
  const frame = plotFrame([0, bars.length], valueRange, {
    width,
    height: height - detailLines,
    title: options.title,
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    ...RASTER_TEXT,
  });
  const step = (frame.right - frame.left) / bars.length;
  const barWidth = Math.max(1, Math.round(step * 0.7));
  const zero = frame.y(0);
  const rects = bars.map((b, i) => {
    const center = Math.round(frame.left + step * (i + 0.5));
    const end = Number.isFinite(b.value) ? frame.y(b.value) : zero;
    const top = Math.round(Math.min(end, zero));
    return {
      left: center - Math.floor(barWidth / 2),
      top,
      width: barWidth,
      height: Math.round(Math.max(end, zero)) - top,
      center,
    };
  });
  return { width, height, frame, bars: rects };
}

/** The bar chart: bars from zero, each named below and its value printed above it. */
export function barChartPng(bars: readonly Bar[], options: BarChartOptions = {}): RgbaImage {
  const layout = barChartLayout(bars, options);
  const { frame } = layout;
  const canvas = new Canvas(layout.width, layout.height);
  // No ticks along x: the bars are categories, named below them instead.
  drawAxes(canvas, { ...frame, xTicks: { values: [], labels: [] } }, options);
  const color = options.color ?? paletteColor(0);
  const ink: Rgb = [60, 60, 60];
  const below = Math.round(frame.bottom) + TICK_LENGTH + 3;
  bars.forEach((bar, i) => {
    const r = layout.bars[i];
    canvas.fillRect(r.left, r.top, r.width, r.height, color);
    canvas.drawText(r.center, below, bar.label, ink, { anchor: 'middle' });
    if (bar.detail) canvas.drawText(r.center, below + LINE, bar.detail, ink, { anchor: 'middle' });
    canvas.drawText(
      r.center,
      Math.max(Math.round(frame.top) + 2, r.top - LINE),
      formatValue(bar.value),
      ink,
      {
        anchor: 'middle',
      },
    );
  });
  return { width: layout.width, height: layout.height, data: canvas.data };
}

/** A value above its bar: three significant digits (at most two decimals). */
function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return formatTick(value, magnitude >= 100 ? 1 : magnitude >= 10 ? 0.1 : 0.01);
}
