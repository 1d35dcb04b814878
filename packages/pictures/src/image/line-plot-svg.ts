/**
 * Training curves as SVG: frame, grid, ticks with labels, axis labels, title, one path per series and a
 * legend. Text uses the viewer's sans-serif font; the layout assumes about 6.5 px per character at 11 px.
 */
import { paletteColor } from './colors.js';
import {
  finiteRuns,
  LINE_PLOT_DEFAULTS,
  type LinePlotOptions,
  type LineSeries,
  lineRanges,
} from './line-plot.js';
import { FRAME_PAD, plotFrame, TICK_LENGTH } from './plot-frame.js';
import type { Rgb } from './types.js';

const FONT_SIZE = 11;
const CHAR_WIDTH = 6.5;
const LINE_HEIGHT = 11;

const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const num = (v: number) => (Math.round(v * 100) / 100).toString();

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An SVG document of the series. */
export function linePlotSvg(series: readonly LineSeries[], options: LinePlotOptions = {}): string {
  const width = options.width ?? LINE_PLOT_DEFAULTS.width;
  const height = options.height ?? LINE_PLOT_DEFAULTS.height;
  const ranges = lineRanges(series);
  const f = plotFrame(ranges.x, ranges.y, {
    ...options,
    width,
    height,
    charWidth: CHAR_WIDTH,
    lineHeight: LINE_HEIGHT,
  });
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const grid: string[] = [];
  const labels: string[] = [];
  f.xTicks.values.forEach((v, i) => {
    const x = num(f.x(v));
    grid.push(`M${x} ${f.top}V${f.bottom}`);
    labels.push(
      `<line x1="${x}" y1="${f.bottom}" x2="${x}" y2="${f.bottom + TICK_LENGTH}" stroke="#505050"/>`,
    );
    labels.push(
      `<text x="${x}" y="${f.bottom + TICK_LENGTH + 3 + LINE_HEIGHT - 2}" text-anchor="middle">${escapeXml(f.xTicks.labels[i])}</text>`,
    );
  });
  f.yTicks.values.forEach((v, i) => {
    const y = num(f.y(v));
    grid.push(`M${f.left} ${y}H${f.right}`);
    labels.push(`<line x1="${f.left - TICK_LENGTH}" y1="${y}" x2="${f.left}" y2="${y}" stroke="#505050"/>`);
    labels.push(
      `<text x="${f.left - TICK_LENGTH - 3}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(f.yTicks.labels[i])}</text>`,
    );
  });
  out.push(`<path class="grid" d="${grid.join('')}" stroke="#e6e6e6" fill="none"/>`);
  out.push(...labels);
  out.push(
    `<rect class="frame" x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#505050"/>`,
  );
  if (options.title) {
    out.push(
      `<text class="title" x="${(f.left + f.right) / 2}" y="${FRAME_PAD + LINE_HEIGHT}" text-anchor="middle" font-size="${FONT_SIZE + 2}" font-weight="bold">${escapeXml(options.title)}</text>`,
    );
  }
  if (options.xLabel) {
    out.push(
      `<text class="x-label" x="${(f.left + f.right) / 2}" y="${height - FRAME_PAD}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    );
  }
  if (options.yLabel) {
    const cy = (f.top + f.bottom) / 2;
    out.push(
      `<text class="y-label" x="${FRAME_PAD + LINE_HEIGHT}" y="${cy}" text-anchor="middle" transform="rotate(-90 ${FRAME_PAD + LINE_HEIGHT} ${cy})">${escapeXml(options.yLabel)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const color = hex(paletteColor(i));
    const runs = finiteRuns(s.points);
    const d = runs
      .map((run) => run.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${num(f.x(x))} ${num(f.y(y))}`).join(''))
      .join('');
    out.push(
      `<path class="series" data-name="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>`,
    );
    // A lone point has no segment to stroke: mark it with a dot.
    for (const run of runs.filter((r) => r.length === 1)) {
      out.push(`<circle cx="${num(f.x(run[0][0]))}" cy="${num(f.y(run[0][1]))}" r="2" fill="${color}"/>`);
    }
  });
  out.push(legendSvg(series, f.right));
  out.push('</svg>');
  return `${out.join('\n')}\n`;

  function legendSvg(list: readonly LineSeries[], right: number): string {
    if (list.length === 0) return '';
    const rowHeight = LINE_HEIGHT + 4;
    const boxWidth = 34 + Math.max(...list.map((s) => s.name.length)) * CHAR_WIDTH;
    const x = right - boxWidth - 6;
    const y = f.top + 6;
    const rows = list.map((s, i) => {
      const cy = y + 4 + rowHeight * i + rowHeight / 2;
      return (
        `<line x1="${x + 6}" y1="${cy}" x2="${x + 24}" y2="${cy}" stroke="${hex(paletteColor(i))}" stroke-width="2"/>` +
        `<text x="${x + 30}" y="${cy}" dominant-baseline="middle">${escapeXml(s.name)}</text>`
      );
    });
    return [
      '<g class="legend">',
      `<rect x="${x}" y="${y}" width="${boxWidth}" height="${8 + rowHeight * list.length}" fill="#ffffff" fill-opacity="0.85" stroke="#c8c8c8"/>`,
      ...rows,
      '</g>',
    ].join('\n');
  }
}
