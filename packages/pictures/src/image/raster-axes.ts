/** Frame, grid, ticks, tick labels, axis labels and title of a raster plot, in the 5×7 font. */
import type { Canvas } from './canvas.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT } from './font5x7.js';
import { FRAME_PAD, type FrameOptions, type PlotFrame, TICK_LENGTH } from './plot-frame.js';
import type { Rgb } from './types.js';

export const RASTER_TEXT: Pick<FrameOptions, 'charWidth' | 'lineHeight'> = {
  charWidth: GLYPH_ADVANCE,
  lineHeight: GLYPH_HEIGHT,
};

const INK: Rgb = [60, 60, 60];
const GRID: Rgb = [230, 230, 230];

export function drawAxes(
  canvas: Canvas,
  f: PlotFrame,
  labels: { title?: string; xLabel?: string; yLabel?: string },
): void {
  const [left, top, right, bottom] = [f.left, f.top, f.right, f.bottom].map(Math.round);
  f.xTicks.values.forEach((v, i) => {
    const x = Math.round(f.x(v));
    canvas.hairline(x, top, x, bottom, GRID);
    canvas.hairline(x, bottom, x, bottom + TICK_LENGTH, INK);
    canvas.drawText(x, bottom + TICK_LENGTH + 3, f.xTicks.labels[i], INK, { anchor: 'middle' });
  });
  f.yTicks.values.forEach((v, i) => {
    const y = Math.round(f.y(v));
    canvas.hairline(left, y, right, y, GRID);
    canvas.hairline(left - TICK_LENGTH, y, left, y, INK);
    canvas.drawText(left - TICK_LENGTH - 3, y - 3, f.yTicks.labels[i], INK, { anchor: 'end' });
  });
  canvas.hairline(left, top, right, top, INK);
  canvas.hairline(left, bottom, right, bottom, INK);
  canvas.hairline(left, top, left, bottom, INK);
  canvas.hairline(right, top, right, bottom, INK);
  const middle = Math.round((left + right) / 2);
  if (labels.title) canvas.drawText(middle, FRAME_PAD, labels.title, INK, { anchor: 'middle' });
  if (labels.xLabel) {
    canvas.drawText(middle, canvas.height - FRAME_PAD - GLYPH_HEIGHT, labels.xLabel, INK, {
      anchor: 'middle',
    });
  }
  if (labels.yLabel) {
    canvas.drawText(FRAME_PAD, Math.round((top + bottom) / 2), labels.yLabel, INK, {
      anchor: 'middle',
      vertical: true,
    });
  }
}

/** A legend box in the top-right corner of the plotting area: a colour swatch and a name per entry. */
export function drawLegend(
  canvas: Canvas,
  f: PlotFrame,
  entries: ReadonlyArray<{ name: string; color: Rgb }>,
): void {
  if (entries.length === 0) return;
  const rowHeight = GLYPH_HEIGHT + 5;
  const width = 30 + Math.max(...entries.map((e) => e.name.length)) * GLYPH_ADVANCE;
  const height = 6 + rowHeight * entries.length;
  const x = Math.round(f.right) - width - 6;
  const y = Math.round(f.top) + 6;
  canvas.fillRect(x, y, width, height, [255, 255, 255], 0.85);
  canvas.hairline(x, y, x + width - 1, y, [200, 200, 200]);
  canvas.hairline(x, y + height - 1, x + width - 1, y + height - 1, [200, 200, 200]);
  canvas.hairline(x, y, x, y + height - 1, [200, 200, 200]);
  canvas.hairline(x + width - 1, y, x + width - 1, y + height - 1, [200, 200, 200]);
  entries.forEach((entry, i) => {
    const top = y + 4 + rowHeight * i;
    canvas.fillRect(x + 5, top + 2, 16, 3, entry.color);
    canvas.drawText(x + 26, top, entry.name, INK);
  });
}
