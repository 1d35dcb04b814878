import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvas } from '../src/image/canvas.js';
import { colormap, PALETTE } from '../src/image/colors.js';
import { glyph, textWidth } from '../src/image/font5x7.js';
import { imageGrid, readableScale, tensorToImage } from '../src/image/grid.js';
import { densityHeatmap, heatmapGrid } from '../src/image/heatmap.js';
import { linePlotPng } from '../src/image/line-plot-png.js';
import { linePlotSvg } from '../src/image/line-plot-svg.js';
import { plotFrame } from '../src/image/plot-frame.js';
import { RASTER_TEXT } from '../src/image/raster-axes.js';
import { scatterPlot } from '../src/image/scatter.js';
import { sideBySide } from '../src/image/side-by-side.js';
import { smallMultiplesPng, smallMultiplesSvg } from '../src/image/small-multiples.js';
import { formatTick, niceTicks } from '../src/image/ticks.js';
import type { RgbaImage } from '../src/image/types.js';
import { decodePng, encodePng, writePng } from '../src/png.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-image-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = 4 * (y * image.width + x);
  return Array.from(image.data.subarray(i, i + 4));
}

function countColor(image: RgbaImage, rgb: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i] === rgb[0] && image.data[i + 1] === rgb[1] && image.data[i + 2] === rgb[2]) n++;
  }
  return n;
}

/** The colour type byte of a PNG's IHDR chunk: 0 gray, 2 RGB, 6 RGBA. */
const colorType = (png: Uint8Array) => png[25];

describe('PNG', () => {
  const image = (pixels: number[][]): RgbaImage => ({
    width: 2,
    height: 2,
    data: Uint8Array.from(pixels.flat()),
  });

  it('round-trips RGBA, RGB and gray images, choosing the smallest colour type', () => {
    const rgba = image([
      [255, 0, 0, 255],
      [0, 255, 0, 128],
      [0, 0, 255, 0],
      [10, 20, 30, 255],
    ]);
    const rgb = image([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [10, 20, 30, 255],
    ]);
    const gray = image([
      [0, 0, 0, 255],
      [85, 85, 85, 255],
      [170, 170, 170, 255],
      [255, 255, 255, 255],
    ]);
    for (const [picture, type] of [
      [rgba, 6],
      [rgb, 2],
      [gray, 0],
    ] as const) {
      const png = encodePng(picture);
      expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
      expect(colorType(png)).toBe(type);
      expect(decodePng(png)).toEqual(picture);
    }
  });

  it('writes files, creating directories, and rejects inconsistent sizes', () => {
    const path = join(root, 'a', 'b', 'pixel.png');
    writePng(path, { width: 1, height: 1, data: Uint8Array.of(1, 2, 3, 255) });
    expect(decodePng(readFileSync(path))).toEqual({ width: 1, height: 1, data: Uint8Array.of(1, 2, 3, 255) });
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(12) })).toThrow(
      /RGBA data of a 2×2 image must have 16 bytes, got 12/,
    );
  });
});

describe('imageGrid', () => {
  it('lays tiles out row by row with padding, mapping the range to 0–255 and clipping', () => {
    // Five 2×3 grayscale tiles with constant values; tile k holds k/4 − 0.5 in the range [−0.5, 0.5].
    const values = [0, 1, 2, 3, 4].map((k) => k / 4 - 0.5);
    const images = tf.tidy(() => tf.stack(values.map((v) => tf.fill([2, 3, 1], v))));
    const grid = imageGrid(images, { columns: 2, padding: 1, range: [-0.5, 0.5] });
    images.dispose();
    // 2 columns of 3 px + 3 paddings; 3 rows of 2 px + 4 paddings.
    expect([grid.width, grid.height]).toEqual([9, 10]);
    const expected = [0, 64, 128, 191, 255];
    values.forEach((_, k) => {
      const x = 1 + (k % 2) * 4;
      const y = 1 + Math.floor(k / 2) * 3;
      for (const [dx, dy] of [
        [0, 0],
        [2, 1],
      ]) {
        expect(pixel(grid, x + dx, y + dy)).toEqual([expected[k], expected[k], expected[k], 255]);
      }
    });
    expect(pixel(grid, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(grid, 4, 1)).toEqual([255, 255, 255, 255]);
    // The sixth slot of the 2×3 layout is empty.
    expect(pixel(grid, 6, 8)).toEqual([255, 255, 255, 255]);
  });

  it('draws RGB tiles channel by channel and reads flattened images with a shape', () => {
    const rgb = tf.tensor4d([1, 0, 0, 0, 1, 0, 0, 0, 1, 2, -1, 0.5], [1, 2, 2, 3]);
    const grid = imageGrid(rgb, { padding: 0, background: [9, 9, 9] });
    expect([pixel(grid, 0, 0), pixel(grid, 1, 0), pixel(grid, 0, 1), pixel(grid, 1, 1)]).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [255, 0, 128, 255],
    ]);
    const flat = tf.tensor2d([0, 1, 1, 0], [1, 4]);
    const fromFlat = imageGrid(flat, { shape: [2, 2, 1], padding: 0 });
    expect(Array.from(fromFlat.data.filter((_, i) => i % 4 === 0))).toEqual([0, 255, 255, 0]);
    expect(() => imageGrid(flat)).toThrow(ShapeError);
    expect(() => imageGrid(flat, { shape: [3, 3, 1] })).toThrow(/cannot be read as tiles of shape \[3,3,1\]/);
    const twoChannels = tf.zeros([1, 2, 2, 2]);
    expect(() => imageGrid(twoChannels)).toThrow(/1 or 3 channels, got 2/);
    tf.dispose([rgb, flat, twoChannels]);
  });

  it('enlarges each pixel into a scale × scale block, padding unscaled, and picks a readable scale', () => {
    const tiles = tf.tensor4d([0, 1, 1, 0, 1, 1, 0, 0], [2, 2, 2, 1]);
    const grid = imageGrid(tiles, { columns: 2, padding: 1, scale: 3 });
    tiles.dispose();
    expect([grid.width, grid.height]).toEqual([2 * 2 * 3 + 3, 2 * 3 + 2]);
    // Tile 0, pixel (row 0, column 1) = 1 covers x 4..6, y 1..3; tile 1 starts after one more padding.
    for (const [x, y] of [
      [4, 1],
      [6, 3],
      [8, 1],
      [10, 3],
    ])
      expect(pixel(grid, x, y)[0]).toBe(255);
    for (const [x, y] of [
      [1, 1],
      [3, 3],
      [4, 4],
      [9, 6],
    ])
      expect(pixel(grid, x, y)[0]).toBe(0);
    expect(pixel(grid, 7, 2)).toEqual([255, 255, 255, 255]);
    expect(() => imageGrid(tf.zeros([1, 2, 2, 1]), { scale: 1.5 })).toThrow(
      /scale must be a positive integer/,
    );
    expect([
      readableScale(28, 28),
      readableScale(32, 32),
      readableScale(64, 64),
      readableScale(2, 2),
    ]).toEqual([4, 3, 2, 8]);
    expect(readableScale(128, 100)).toBe(1);
  });

  it('turns one image into a PNG that decodes to the same values', () => {
    const values = [0, 0.25, 0.5, 0.75, 1, 0.125];
    const image = tf.tensor2d(values, [2, 3]);
    const decoded = decodePng(encodePng(tensorToImage(image)));
    image.dispose();
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect(Array.from(decoded.data.filter((_, i) => i % 4 === 0))).toEqual(
      values.map((v) => Math.round(v * 255)),
    );
  });
});

describe('scatterPlot', () => {
  it('draws points at their data coordinates, underneath them the reference, and clips outside points', () => {
    const bounds = { x: [-1, 1], y: [-1, 1] } as const;
    const plot = scatterPlot([[0.5, -0.25]], {
      width: 200,
      height: 160,
      bounds,
      reference: tf.tensor2d([
        [-0.5, 0.5],
        [1.1, 0],
      ]),
      radius: 2,
    });
    expect([plot.width, plot.height]).toEqual([200, 160]);
    const f = plotFrame(bounds.x, bounds.y, { width: 200, height: 160, ...RASTER_TEXT });
    // The disc's centre pixel is fully covered: the colour at its opacity over white.
    const over = (color: readonly number[], alpha: number) =>
      color.map((c) => Math.round(255 * (1 - alpha) + c * alpha));
    expect(pixel(plot, Math.floor(f.x(0.5)), Math.floor(f.y(-0.25))).slice(0, 3)).toEqual(
      over(PALETTE[1], 0.75),
    );
    expect(pixel(plot, Math.floor(f.x(-0.5)), Math.floor(f.y(0.5))).slice(0, 3)).toEqual(
      over(PALETTE[0], 0.45),
    );
    // (1.1, 0) lies right of the bounds, in the margin: not drawn.
    const outside = [Math.floor(f.x(1.1)), Math.floor(f.y(0))];
    expect(outside[0]).toBeLessThan(200);
    expect(pixel(plot, outside[0], outside[1])).toEqual([255, 255, 255, 255]);
    // With a reference there is a legend; its swatches carry the exact set colours.
    expect(countColor(plot, PALETTE[0])).toBe(16 * 3);
    expect(countColor(plot, PALETTE[1])).toBe(16 * 3);
  });

  it('rejects points that are not pairs', () => {
    const bad = tf.zeros([4, 3]);
    expect(() => scatterPlot(bad)).toThrow(/points must have shape \[n, 2\], got \[4,3\]/);
    bad.dispose();
  });
});

describe('heatmaps', () => {
  it('colours a grid with the colormap, row 0 at the bottom by default', () => {
    const values = tf.tensor2d(
      [
        [0, 1, 2],
        [3, Number.NaN, 6],
      ],
      [2, 3],
    );
    const image = densityHeatmap(values, { cellSize: 2 });
    expect([image.width, image.height]).toEqual([6, 4]);
    // Row 0 of the values is the bottom row of pixels.
    expect(pixel(image, 0, 3).slice(0, 3)).toEqual([...colormap('viridis', 0)]);
    expect(pixel(image, 0, 3).slice(0, 3)).toEqual([68, 1, 84]);
    expect(pixel(image, 5, 0).slice(0, 3)).toEqual([253, 231, 37]);
    expect(pixel(image, 3, 1).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(image, 2, 3).slice(0, 3)).toEqual([...colormap('viridis', 1 / 6)]);
    const upper = densityHeatmap(values, { cellSize: 1, origin: 'upper', colormap: 'gray', range: [0, 3] });
    expect(pixel(upper, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(upper, 2, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(upper, 1, 0)).toEqual([85, 85, 85, 255]);
    values.dispose();
  });

  it('places grid points at the cell centres, row 0 at the lowest y', () => {
    const grid = heatmapGrid({ x: [0, 3], y: [-1, 1] }, 2, 3);
    expect(grid.arraySync()).toEqual([
      [0.5, -0.5],
      [1.5, -0.5],
      [2.5, -0.5],
      [0.5, 0.5],
      [1.5, 0.5],
      [2.5, 0.5],
    ]);
    grid.dispose();
  });

  it('interpolates viridis between its anchors', () => {
    expect(colormap('viridis', 1 / 16)).toEqual([70, 23, 103]);
    expect(colormap('viridis', -1)).toEqual([68, 1, 84]);
  });
});

describe('line plots', () => {
  const series = [
    {
      name: 'loss',
      points: [
        [0, 3],
        [10, 2],
        [20, 1.5],
        [30, 1.2],
      ] as [number, number][],
    },
    {
      name: 'eval/<nll> & co',
      points: [
        [10, 2.5],
        [20, Number.NaN],
        [30, 1.8],
        [40, 1.6],
      ] as [number, number][],
    },
  ];

  it('SVG: one path per series with its points, axes, ticks, labels and a legend', () => {
    const svg = linePlotSvg(series, { title: 'training curves', xLabel: 'step', yLabel: 'value' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400"')).toBe(true);
    const paths = [...svg.matchAll(/<path class="series" data-name="([^"]*)" d="([^"]*)"/g)];
    expect(paths.map((m) => m[1])).toEqual(['loss', 'eval/&#60;nll&#62; &#38; co']);
    expect(paths[0][2].match(/[ML]/g)).toEqual(['M', 'L', 'L', 'L']);
    // The NaN breaks the second line: a lone point (drawn as a dot), then a segment.
    expect(paths[1][2].match(/[ML]/g)).toEqual(['M', 'M', 'L']);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    for (const text of ['training curves', '>step<', '>value<', '>0<', '>40<', '>1.5<', '>3.0<']) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('class="legend"');
    expect(svg).not.toContain('NaN');
  });

  it('PNG: the requested size, each series in its colour, labels in ink', () => {
    const image = linePlotPng(series, { title: 'training curves', xLabel: 'step', width: 400, height: 300 });
    expect([image.width, image.height]).toEqual([400, 300]);
    // Fully covered pixels of each stroke (and the legend swatches) carry the exact palette colour.
    expect(countColor(image, PALETTE[0])).toBeGreaterThan(100);
    expect(countColor(image, PALETTE[1])).toBeGreaterThan(50);
    expect(countColor(image, [60, 60, 60])).toBeGreaterThan(200);
    const decoded = decodePng(encodePng(image));
    expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
  });

  it('small multiples: a panel per metric on its own axis, tiled in rows of three', () => {
    const curves = [
      { name: 'elbo', points: [0, 10, 20, 30].map((x) => [x, -500 + x] as [number, number]) },
      { name: 'beta', points: [0, 10, 20, 30].map((x) => [x, x / 30] as [number, number]) },
      { name: 'gradNorm', points: [0, 10, 20, 30].map((x) => [x, 2 + Math.sin(x)] as [number, number]) },
      { name: 'kl', points: [0, 10, 20, 30].map((x) => [x, 3 * x] as [number, number]) },
    ];
    const image = smallMultiplesPng(curves, { xLabel: 'step', panelWidth: 300, panelHeight: 200 });
    expect([image.width, image.height]).toEqual([900, 400]);
    // Each panel draws its one series in the first palette colour, filling its own axis: a curve in
    // every occupied cell (β's 0…1 is not a flat line at the bottom of the ELBO's −500…−470).
    const inCell = (col: number, row: number) => {
      const cell = { width: 300, height: 200, data: new Uint8Array(300 * 200 * 4) };
      for (let y = 0; y < 200; y++) {
        const from = 4 * ((row * 200 + y) * 900 + col * 300);
        cell.data.set(image.data.subarray(from, from + 300 * 4), 4 * y * 300);
      }
      return countColor(cell, PALETTE[0]);
    };
    for (const [col, row] of [
      [0, 0],
      [1, 0],
      [2, 0],
      [0, 1],
    ])
      expect(inCell(col, row)).toBeGreaterThan(100);
    expect(inCell(1, 1)).toBe(0);
    const svg = smallMultiplesSvg(curves, { xLabel: 'step', panelWidth: 300, panelHeight: 200 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="400"')).toBe(true);
    expect([...svg.matchAll(/<svg x="(\d+)" y="(\d+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['0', '0'],
      ['300', '0'],
      ['600', '0'],
      ['0', '200'],
    ]);
    for (const name of ['elbo', 'beta', 'gradNorm', 'kl']) expect(svg).toContain(`>${name}<`);
  });

  it('nice ticks: steps of 1, 2 or 5 × 10^k, labelled with the decimals they need', () => {
    expect(niceTicks([0, 1])).toEqual({
      values: [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1],
      labels: ['0', '0.2', '0.4', '0.6', '0.8', '1.0'],
    });
    expect(niceTicks([-3, 47], 5).labels).toEqual(['0', '10', '20', '30', '40']);
    expect(niceTicks([0, 3e6], 3).labels).toEqual(['0', '1e6', '2e6', '3e6']);
    expect(formatTick(2.5e-5, 5e-6)).toBe('2.5e-5');
  });
});

describe('bitmap text', () => {
  it('draws glyph pixels and measures text', () => {
    const canvas = new Canvas(12, 7, [255, 255, 255]);
    canvas.drawText(0, 0, '1-', [0, 0, 0]);
    const one = glyph('1');
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        const ink = (one[row] >> (4 - col)) & 1;
        expect(pixel(canvas, col, row)[0]).toBe(ink ? 0 : 255);
      }
    }
    // The minus sign is the middle row of the second cell, after one column of spacing.
    expect([6, 7, 8, 9, 10].map((x) => pixel(canvas, x, 3)[0])).toEqual([0, 0, 0, 0, 0]);
    expect(pixel(canvas, 5, 3)[0]).toBe(255);
    expect(textWidth('1-')).toBe(11);
    expect(textWidth('ab', 2)).toBe(22);
  });
});

describe('sideBySide', () => {
  it('places images in a row with a background gap, top-aligned', () => {
    const red = new Canvas(2, 3, [255, 0, 0]);
    const blue = new Canvas(3, 1, [0, 0, 255]);
    const row = sideBySide([red, blue], { gap: 1, background: [0, 255, 0] });
    expect([row.width, row.height]).toEqual([6, 3]);
    const pixel = (x: number, y: number) =>
      Array.from(row.data.subarray(4 * (y * 6 + x), 4 * (y * 6 + x) + 3));
    expect(pixel(1, 2)).toEqual([255, 0, 0]);
    expect(pixel(2, 0)).toEqual([0, 255, 0]);
    expect(pixel(3, 0)).toEqual([0, 0, 255]);
    expect(pixel(5, 1)).toEqual([0, 255, 0]);
  });
});
