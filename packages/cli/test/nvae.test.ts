/**
 * NVAE end to end through the built `genzoo` command on mnist-10k (binarized, its recipe's protocol) at a
 * small size: it trains, reports the ELBO, nll_nats and the KL of every latent group, logs the per-group
 * KLs for curves.png, is evaluated again from its checkpoint, samples at temperatures 1.0, 0.8 and 0.6
 * (BatchNorm statistics re-estimated at each), and resumes. The run draws kl-groups.png (a bar per group's
 * test KL) and samples-temperatures.png (a labelled row per temperature), and `sample --temperatures`
 * draws the same rows.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barChartLayout, klGroupsChart, paletteColor } from '@genzoo/pictures/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { genzooOn, lastJson, metricLines, pngSize, readPng } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-nvae-'));

/** 784 Bernoulli pixels at p = ½: the nats of a model that learned nothing. */
const UNIFORM_NATS = 784 * Math.LN2;

interface Summary {
  model: string;
  steps: number;
  test: Record<string, number>;
  files: Record<string, string>;
}

/** Rows of a picture's column x drawn in the colour. */
function columnCount(png: { width: number; data: Buffer }, x: number, color: readonly number[]): number {
  let count = 0;
  for (let i = 4 * x; i < png.data.length; i += 4 * png.width) {
    if (color.every((v, c) => png.data[i + c] === v)) count++;
  }
  return count;
}

/** The grid of `sample --temperatures 1,0.8,0.6 --n 8` on 28×28 digits: a label column, then 3 rows. */
const TEMPERATURE_ROWS = {
  // 'T = 1.0' in the 5×7 font (6 px a character) with 6 px either side.
  width: 7 * 6 - 1 + 12 + 8 * 28 + 9 * 2,
  height: 3 * (28 + 2 * 2),
};

describe('nvae: train → eval → sample at three temperatures → resume', () => {
  const dir = join(root, 'nvae');
  let summary: Summary;
  beforeAll(() => {
    const r = genzoo(
      'train',
      'nvae',
      '--dataset',
      'mnist-10k',
      '--out',
      dir,
      '--steps',
      '40',
      '--batch',
      '32',
      '--eval-limit',
      '50',
      '--eval-samples',
      '5',
      '--set',
      'channels=4',
      '--set',
      'latentChannels=2',
      '--set',
      'expansion=2',
      '--set',
      'klWarmupSteps=20',
      '--set',
      'batchNormSampling.batches=3',
      '--json',
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    summary = lastJson<Summary>(r.stdout);
  });

  it('trains below the uniform model, with the KL of each of the 4 groups in the test metrics', () => {
    expect(summary).toMatchObject({ model: 'nvae', steps: 40 });
    const { elbo, nll_nats } = summary.test;
    expect(nll_nats).toBeLessThan(UNIFORM_NATS);
    expect(-nll_nats).toBeGreaterThan(elbo - 1);
    const groups = [1, 2, 3, 4].map((l) => summary.test[`kl_group_${l}`]);
    for (const kl of groups) expect(kl).toBeGreaterThanOrEqual(0);
    expect(summary.test.kl_group_5).toBeUndefined();
    for (const file of [
      'samples.png',
      'samples-temperatures.png',
      'kl-groups.png',
      'curves.png',
      'result.json',
      'checkpoint/manifest.json',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
  });

  it('draws kl-groups.png: a bar per group, as tall as its KL', () => {
    expect(summary.files.klGroups).toBe(join(dir, 'kl-groups.png'));
    const kls = [1, 2, 3, 4].map((l) => summary.test[`kl_group_${l}`]);
    // The bars' layout depends on whether the groups' shapes are printed, not on which they are.
    const { bars, options } = klGroupsChart(
      kls,
      kls.map(() => ({ scale: 0, shape: [1, 1, 1] })),
    );
    const layout = barChartLayout(bars, options);
    expect(pngSize(join(dir, 'kl-groups.png'))).toEqual({ width: layout.width, height: layout.height });
    const png = readPng(join(dir, 'kl-groups.png'));
    const heights = layout.bars.map((r) => columnCount(png, r.center, paletteColor(0)));
    expect(heights).toEqual(layout.bars.map((r) => r.height));
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) if (kls[a] > kls[b] + 0.05) expect(heights[a]).toBeGreaterThan(heights[b]);
    }
  });

  it('draws samples-temperatures.png: 8 samples at each of T = 1.0, 0.8, 0.6', () => {
    expect(summary.files.temperatures).toBe(join(dir, 'samples-temperatures.png'));
    expect(pngSize(join(dir, 'samples-temperatures.png'))).toEqual(TEMPERATURE_ROWS);
  });

  it('logs the ELBO terms, the warm-up β and every group’s KL', () => {
    const lines = metricLines(join(dir, 'metrics.jsonl'), 'train');
    for (const key of ['loss', 'elbo', 'recon', 'kl', 'beta', 'kl_1', 'kl_2', 'kl_3', 'kl_4']) {
      expect(Number.isFinite(lines[0][key]), key).toBe(true);
    }
    expect(lines[0].beta).toBeLessThan(0.5);
    expect(lines[lines.length - 1].beta).toBe(1);
  });

  it('eval reproduces the run’s test metrics from the checkpoint', () => {
    const r = genzoo('eval', dir, '--limit', '50', '--samples', '5', '--json');
    expect(r.status).toBe(0);
    const metrics = lastJson<Record<string, number>>(r.stdout);
    expect(metrics.elbo).toBeCloseTo(summary.test.elbo, 3);
    expect(metrics.nll_nats).toBeCloseTo(summary.test.nll_nats, 3);
    expect(metrics.kl_group_3).toBeCloseTo(summary.test.kl_group_3, 3);
  });

  it('samples at temperatures 1.0, 0.8 and 0.6: different grids, the same for the same seed', () => {
    const pixels: Buffer[] = [];
    for (const t of ['1.0', '0.8', '0.6']) {
      const out = join(dir, `t${t}.png`);
      const r = genzoo('sample', dir, '--n', '16', '--seed', '3', '--temperature', t, '--out', out);
      expect(r.status, t).toBe(0);
      expect(pngSize(out)).toEqual({ width: 4 * 28 + 5 * 2, height: 4 * 28 + 5 * 2 });
      pixels.push(readPng(out).data);
    }
    expect(pixels[0].equals(pixels[1])).toBe(false);
    expect(pixels[1].equals(pixels[2])).toBe(false);
    const again = join(dir, 'again.png');
    expect(
      genzoo('sample', dir, '--n', '16', '--seed', '3', '--temperature', '0.6', '--out', again).status,
    ).toBe(0);
    expect(readPng(again).data.equals(pixels[2])).toBe(true);
  });

  it('sample --temperatures draws a labelled row per temperature: rows differ, the same seed repeats', () => {
    const out = join(dir, 'temperatures.png');
    const args = ['sample', dir, '--temperatures', '1,0.8,0.6', '--seed', '3', '--json'];
    const r = genzoo(...args, '--out', out);
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ n: 8, temperatures: [1, 0.8, 0.6] });
    expect(pngSize(out)).toEqual(TEMPERATURE_ROWS);
    const { data, width } = readPng(out);
    const rowBytes = 4 * width * 32;
    const rows = [0, 1, 2].map((i) => data.subarray(i * rowBytes, (i + 1) * rowBytes));
    expect(rows[0].equals(rows[1])).toBe(false);
    expect(rows[1].equals(rows[2])).toBe(false);
    const again = join(dir, 'temperatures-again.png');
    expect(genzoo(...args, '--out', again).status).toBe(0);
    expect(readPng(again).data.equals(data)).toBe(true);
    const both = genzoo('sample', dir, '--temperatures', '1,0.5', '--temperature', '1', '--out', again);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toMatch(/--temperature and --temperatures/);
    const many = genzoo('sample', dir, '--temperatures', '1,0.8', '--n', '60000', '--out', again);
    expect(many.status).not.toBe(0);
    expect(many.stderr).toMatch(/--n 60000 at 2 temperatures: sample draws at most 100,000 samples/);
  });

  it('resume continues to the new step budget', () => {
    const r = genzoo('resume', dir, '--steps', '44', '--json');
    expect(r.status).toBe(0);
    expect(lastJson<Summary>(r.stdout).steps).toBe(44);
  });
});
