/**
 * The KL-per-group bar chart (kl-groups.png) and the labelled rows of samples at several temperatures
 * (samples-temperatures.png): layout, pixels, and the metric names they are drawn from.
 */
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerativeModel, SampleOptions } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barChartLayout, barChartPng } from '../src/image/bar-chart.js';
import { paletteColor } from '../src/image/colors.js';
import { textWidth } from '../src/image/font5x7.js';
import { labelledRows } from '../src/image/labelled-rows.js';
import type { RgbaImage } from '../src/image/types.js';
import { decodePng } from '../src/png.js';
import {
  klGroupsChart,
  latentGroupKls,
  temperatureLabel,
  writeKlGroupsPicture,
  writeTemperaturesPicture,
} from '../src/run/run-pictures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-kl-groups-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = 4 * (y * image.width + x);
  return Array.from(image.data.subarray(i, i + 3));
}

/** Rows (from the bottom of the plot up) whose pixel at x has the bar colour. */
function barHeightAt(image: RgbaImage, x: number, color: readonly number[]): number {
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    if (pixel(image, x, y).every((v, c) => v === color[c])) count++;
  }
  return count;
}

describe('bar chart', () => {
  const kls = [12.5, 0.01, 40, 3];
  const bars = kls.map((value, l) => ({ label: `z${l + 1}`, detail: '4x4x2', value }));

  it('lays bars out left to right from zero, heights in the order of the values', () => {
    const layout = barChartLayout(bars);
    expect(layout.bars).toHaveLength(4);
    const zero = Math.round(layout.frame.y(0));
    for (const r of layout.bars) expect(r.top + r.height).toBe(zero);
    const centers = layout.bars.map((r) => r.center);
    expect([...centers].sort((a, b) => a - b)).toEqual(centers);
    const heights = layout.bars.map((r) => r.height);
    expect(heights[2]).toBeGreaterThan(heights[0]);
    expect(heights[0]).toBeGreaterThan(heights[3]);
    expect(heights[3]).toBeGreaterThan(heights[1]);
    // The largest bar keeps room above it for its value.
    expect(layout.bars[2].top).toBeGreaterThan(layout.frame.top);
  });

  it('draws each bar in its colour, as tall as its layout says', () => {
    const options = { title: 'test KL per latent group', yLabel: 'KL (nats)' };
    const image = barChartPng(bars, options);
    const layout = barChartLayout(bars, options);
    expect([image.width, image.height]).toEqual([layout.width, layout.height]);
    const color = paletteColor(0);
    const drawn = layout.bars.map((r) => barHeightAt(image, r.center, color));
    expect(drawn).toEqual(layout.bars.map((r) => r.height));
    expect(drawn[2]).toBeGreaterThan(drawn[0]);
    expect(drawn[0]).toBeGreaterThan(drawn[3]);
  });

  it('widens to fit many bars, and refuses none', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ label: `z${i + 1}`, detail: '16x16x20', value: i }));
    const layout = barChartLayout(many);
    expect(layout.width).toBeGreaterThan(640);
    const step = layout.bars[1].center - layout.bars[0].center;
    expect(step).toBeGreaterThanOrEqual(textWidth('16x16x20'));
    expect(() => barChartLayout([])).toThrow(/no bars/);
  });

  it('handles all-zero and non-finite values without a degenerate axis', () => {
    const layout = barChartLayout([
      { label: 'z1', value: 0 },
      { label: 'z2', value: Number.NaN },
    ]);
    expect(layout.bars.map((r) => r.height)).toEqual([0, 0]);
  });
});

describe('kl-groups.png', () => {
  it('names bars z1 … zL, without shapes when the model gives none', () => {
    expect(klGroupsChart([1, 2]).bars).toEqual([
      { label: 'z1', detail: undefined, value: 1 },
      { label: 'z2', detail: undefined, value: 2 },
    ]);
  });

  it('takes kl_group_1 … kl_group_L in group order, ignoring other metrics and gaps', () => {
    expect(latentGroupKls({ elbo: -90, kl_group_2: 3, kl_group_1: 7, kl_group_10: 1, kl: 11 })).toEqual([]);
    expect(latentGroupKls({ elbo: -90, kl_group_2: 3, kl_group_1: 7, kl_group_3: 1 })).toEqual([7, 3, 1]);
    expect(latentGroupKls({ nll_nats: 80 })).toEqual([]);
  });

  it('writes a bar per group, labelled with the groups’ shapes when the model gives them', () => {
    const path = join(root, 'kl-groups.png');
    const groups = [
      { scale: 0, shape: [4, 4, 2] },
      { scale: 1, shape: [8, 8, 2] },
    ];
    expect(writeKlGroupsPicture(path, [5, 0.5], groups)).toMatch(/2 latent groups/);
    const image = decodePng(readFileSync(path));
    const chart = klGroupsChart([5, 0.5], groups);
    expect(chart.bars.map((b) => [b.label, b.detail])).toEqual([
      ['z1', '4x4x2'],
      ['z2', '8x8x2'],
    ]);
    const layout = barChartLayout(chart.bars, chart.options);
    expect([image.width, image.height]).toEqual([layout.width, layout.height]);
    const color = paletteColor(0);
    const [h1, h2] = layout.bars.map((r) => barHeightAt(image, r.center, color));
    expect(h1).toBeGreaterThan(5 * h2);
  });
});

describe('samples at temperatures', () => {
  it('labels temperatures with at least one decimal', () => {
    expect([1, 0.8, 0.6, 0.75].map(temperatureLabel)).toEqual(['T = 1.0', 'T = 0.8', 'T = 0.6', 'T = 0.75']);
  });

  it('stacks rows after a label column as wide as the longest label', () => {
    const row = (value: number): RgbaImage => ({
      width: 20,
      height: 10,
      data: new Uint8Array(20 * 10 * 4).fill(value),
    });
    const image = labelledRows([row(0), row(0)], ['a', 'T = 0.75']);
    const labelWidth = textWidth('T = 0.75') + 12;
    expect([image.width, image.height]).toEqual([labelWidth + 20, 20]);
    expect(pixel(image, labelWidth + 3, 15)).toEqual([0, 0, 0]);
    expect(() => labelledRows([row(0)], [])).toThrow(/one label per row/);
  });

  /** A stand-in image model whose samples are the temperature times seeded noise. */
  const model = {
    name: 'toy',
    eventShape: [6, 6, 1],
    sample: (n: number, options: SampleOptions = {}) =>
      tf.tidy(() =>
        tf.add(
          0.5,
          tf.mul(
            0.2 * (options.temperature ?? 1),
            tf.randomNormal([n, 6, 6, 1], 0, 1, 'float32', options.seed),
          ),
        ),
      ),
  } as unknown as GenerativeModel;

  it('draws a labelled row per temperature from the same seed: rows differ, a rerun is identical', () => {
    const path = join(root, 't.png');
    writeTemperaturesPicture(model, path, { temperatures: [1, 0.8, 0.6], n: 4, seed: 3 });
    const image = decodePng(readFileSync(path));
    const rowHeight = 6 + 2 * 2;
    const gridWidth = 4 * 6 + 5 * 2;
    const labelWidth = textWidth('T = 1.0') + 12;
    expect([image.width, image.height]).toEqual([labelWidth + gridWidth, 3 * rowHeight]);
    const rowPixels = [0, 1, 2].map((r) =>
      Buffer.from(
        image.data.subarray(4 * r * rowHeight * image.width, 4 * (r + 1) * rowHeight * image.width),
      ),
    );
    expect(rowPixels[0].equals(rowPixels[1])).toBe(false);
    expect(rowPixels[1].equals(rowPixels[2])).toBe(false);
    const again = join(root, 't2.png');
    writeTemperaturesPicture(model, again, { temperatures: [1, 0.8, 0.6], n: 4, seed: 3 });
    expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
  });
});
