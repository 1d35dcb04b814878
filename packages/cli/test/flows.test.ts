/**
 * The flow family end to end through the built `genzoo` command: every model trains on two moons and
 * writes the learned density beside the data and the samples after each layer; Glow trains on
 * dequantized mnist-10k and samples a grid; eval reproduces the run's exact test NLL; sample honours
 * --temperature.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genzooOn, lastJson, pngSize } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-flows-'));

interface Summary {
  model: string;
  steps: number;
  test: { nll_nats: number; bits_per_dim: number };
  files: Record<string, string>;
}

const MOONS = [
  '--dataset',
  'moons',
  '--set',
  'data.n=2000',
  '--set',
  'data.testSize=1000',
  '--steps',
  '60',
  '--batch',
  '128',
];

describe('flows on two moons', () => {
  it.each([
    ['nice', ['--set', 'hidden=[32]']],
    ['realnvp', ['--set', 'couplings=4', '--set', 'hidden=[32]']],
    ['maf', ['--set', 'layers=2', '--set', 'hidden=[32]']],
    ['iaf', ['--set', 'layers=2', '--set', 'hidden=[32]']],
  ])(
    '%s: trains, writes the density beside the data and the samples after each layer, eval agrees',
    (name, extra) => {
      const out = join(root, name);
      const run = genzoo('train', name, ...MOONS, ...extra, '--out', out, '--json');
      expect(run.status, run.stderr).toBe(0);
      const summary = lastJson<Summary>(run.stdout);
      expect(summary.steps).toBe(60);
      // An untrained flow (N(0, I) or logistic on the raw points) is near 2.9–3.5 nats.
      expect(summary.test.nll_nats).toBeLessThan(3.6);
      expect(pngSize(summary.files.density)).toEqual({ width: 400 + 12 + 400, height: 400 });
      const layers = pngSize(summary.files.layers);
      expect(layers.height).toBe(256);
      // One panel for the base draws and one per layer (a coupling, scaling, permutation…), 256 px each.
      expect(layers.width).toBeGreaterThanOrEqual(3 * 256);
      const evaluated = genzoo('eval', out, '--json');
      expect(evaluated.status, evaluated.stderr).toBe(0);
      expect(lastJson<{ nll_nats: number }>(evaluated.stdout).nll_nats).toBeCloseTo(summary.test.nll_nats, 4);
    },
  );

  it('sample --temperature draws from the tempered base', () => {
    const out = join(root, 'realnvp');
    const picture = join(root, 'tempered.png');
    const run = genzoo('sample', out, '--n', '500', '--temperature', '0.7', '--out', picture, '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(pngSize(picture)).toEqual({ width: 512, height: 512 });
    const bad = genzoo('sample', out, '--temperature', '0', '--out', picture);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/temperature must be positive/);
  });
});

describe('glow on dequantized digits', () => {
  it('trains a small Glow, reports bits/dim with the 8-bit offset, samples a grid', () => {
    const out = join(root, 'glow');
    const run = genzoo(
      'train',
      'glow',
      '--recipe',
      'mnist-10k',
      '--set',
      'steps=1',
      '--set',
      'features=8',
      '--steps',
      '20',
      '--batch',
      '16',
      '--eval-limit',
      '100',
      '--out',
      out,
      '--json',
    );
    expect(run.status, run.stderr).toBe(0);
    const summary = lastJson<Summary>(run.stdout);
    // Dequantized 8-bit data: bits/dim of the discrete digits, between the 8 of a uniform and 0.
    expect(summary.test.bits_per_dim).toBeGreaterThan(1);
    expect(summary.test.bits_per_dim).toBeLessThan(9.5);
    expect(summary.files.density).toBeUndefined();
    const grid = pngSize(summary.files.samples);
    expect(grid.width).toBe(grid.height);
  });
});
