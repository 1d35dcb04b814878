/**
 * End-to-end tests of the built `genzoo` command: each runs `node dist/bin.js …` in its own process, as
 * a user would, on small real data (two moons, mnist-10k).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { genzooOn, lastJson as lastLine, metricLines, pngSize } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('cpu', ...args);

/** The CLI's --json summary: the fields the tests read. */
interface Summary {
  [key: string]: unknown;
  test: Record<string, number>;
  steps: number;
  examples_per_second: number;
  train_examples_per_second: number;
  seconds: number;
  timing: Record<string, number>;
  nll_nats: number;
  split: string;
  backend: string;
}

const lastJson = (stdout: string) => lastLine<Summary>(stdout);

describe('arguments', () => {
  it('an unknown command exits non-zero with the usage', () => {
    const r = genzoo('fly');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "fly"');
    expect(r.stderr).toContain('usage: genzoo <command>');
  });

  it('a missing positional, an unknown flag and a bad number each name the problem and print the usage', () => {
    const missing = genzoo('train');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('expected 1 positional argument');
    expect(missing.stderr).toContain('usage: genzoo train');

    const unknown = genzoo('list', '--colour');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/--colour/);

    const bad = genzoo('train', 'gmm', '--dataset', 'moons', '--out', join(tmpdir(), 'x'), '--steps', 'ten');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--steps must be an integer');
  });

  it('a bad model config value names the key', () => {
    const r = genzoo(
      'train',
      'gmm',
      '--dataset',
      'moons',
      '--out',
      join(tmpdir(), 'y'),
      '--set',
      'components=-3',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('components');
    expect(r.stderr).toContain('invalid config for model "gmm"');
  });

  it('an unknown model lists the registered ones', () => {
    const r = genzoo('train', 'nope', '--dataset', 'moons', '--out', join(tmpdir(), 'z'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown model "nope"');
    expect(r.stderr).toContain('gmm');
  });
});

describe('list, datasets, backend', () => {
  it('lists the classic models with their likelihood kind', () => {
    const models = JSON.parse(genzoo('list', '--json').stdout) as Array<Record<string, string>>;
    const gmm = models.find((m) => m.name === 'gmm');
    expect(gmm).toMatchObject({ family: 'mixture', package: '@genzoo/classic', likelihood: 'exact' });
    expect(models.map((m) => m.name)).toContain('ppca');
  });

  it('reports datasets and where they are', () => {
    const datasets = JSON.parse(genzoo('datasets', '--json').stdout) as Array<{
      name: string;
      source: { found: boolean };
    }>;
    expect(datasets.find((d) => d.name === 'moons')?.source.found).toBe(true);
    expect(datasets.find((d) => d.name === 'mnist-10k')?.source.found).toBe(true);
  });

  it('reports the forced backend and why the native ones were skipped', () => {
    const info = JSON.parse(genzoo('backend', '--json').stdout);
    expect(info.name).toBe('cpu');
    const wasm = JSON.parse(genzoo('backend', '--json', '--backend', 'wasm').stdout);
    expect(wasm.name).toBe('wasm');
    expect(wasm.simd).toBe(true);
  });
});

describe('train → sample → eval → resume (gmm on two moons)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'genzoo-cli-')), 'gmm');
  let summary: Summary;

  beforeAll(() => {
    const r = genzoo(
      'train',
      'gmm',
      '--dataset',
      'moons',
      '--out',
      dir,
      '--steps',
      '20',
      '--seed',
      '3',
      '--json',
    );
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    summary = lastJson(r.stdout);
  });

  it('prints one JSON summary with the final test metrics and writes the run files', () => {
    expect(summary).toMatchObject({ model: 'gmm', dataset: 'moons', steps: 20, backend: 'cpu' });
    expect(summary.examples_per_second).toBeGreaterThan(0);
    // The training loop's own throughput, and where the rest of the time went.
    expect(summary.train_examples_per_second).toBeGreaterThanOrEqual(summary.examples_per_second);
    expect(Object.keys(summary.timing).sort()).toEqual([
      'checkpoints',
      'evaluation',
      'other',
      'setup',
      'steps',
      'test_evaluation',
    ]);
    const { test_evaluation, ...trainer } = summary.timing;
    const total = Object.values(trainer).reduce((a, b) => a + b, 0);
    // Each part is rounded to milliseconds.
    expect(Math.abs(total - summary.seconds)).toBeLessThanOrEqual(0.004);
    expect(summary.timing.checkpoints).toBeGreaterThan(0);
    expect(test_evaluation).toBeGreaterThan(0);
    // Two moons with the recipe's noise: a well-fitted mixture is near 2.45 nats; a single Gaussian ~3.3.
    expect(summary.test.nll_nats).toBeLessThan(2.7);
    for (const file of [
      'checkpoint/manifest.json',
      'metrics.jsonl',
      'samples.png',
      'curves.svg',
      'curves.png',
      'result.json',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(pngSize(join(dir, 'samples.png'))).toEqual({ width: 512, height: 512 });
  });

  it('eval reproduces the test metric from the checkpoint', () => {
    const metrics = lastJson(genzoo('eval', dir, '--json').stdout);
    expect(metrics.nll_nats).toBeCloseTo(summary.test.nll_nats, 6);
    expect(metrics.split).toBe('test');
  });

  it('sample writes a PNG and the same seed gives the same picture', () => {
    const a = join(dir, 'a.png');
    const b = join(dir, 'b.png');
    expect(genzoo('sample', dir, '--n', '300', '--seed', '7', '--out', a).status).toBe(0);
    expect(genzoo('sample', dir, '--n', '300', '--seed', '7', '--out', b).status).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('resume continues to the new step budget and appends to the metrics log', () => {
    const r = genzoo('resume', dir, '--steps', '30', '--json');
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout).steps).toBe(30);
    const steps = metricLines(join(dir, 'metrics.jsonl'), 'train').map((l) => l.step);
    expect(steps[0]).toBe(10);
    expect(steps[steps.length - 1]).toBe(30);
  });
});

describe('images: ppca on mnist-10k', () => {
  it('trains in closed form, writes a sample grid and reports bits/dim', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'genzoo-cli-')), 'ppca');
    // The model's mnist-10k recipe (dequantized digits) is the default for that dataset.
    const r = genzooOn(
      'wasm',
      'train',
      'ppca',
      '--dataset',
      'mnist-10k',
      '--set',
      'latentDim=16',
      '--out',
      dir,
      '--json',
    );
    expect(r.status).toBe(0);
    const summary = lastJson(r.stdout);
    // Dequantized 8-bit MNIST: PPCA is a weak model (~7 bits/dim); uniform noise alone would be 8.
    expect(summary.test.bits_per_dim).toBeLessThan(7.8);
    expect(summary.test.bits_per_dim).toBeGreaterThan(3);
    expect(summary.backend).toBe('wasm');
    // 64 samples as an 8×8 grid of 28×28 digits with 2-pixel padding.
    expect(pngSize(join(dir, 'samples.png'))).toEqual({ width: 8 * 28 + 9 * 2, height: 8 * 28 + 9 * 2 });
  });

  it('a run file with unknown sections is rejected, naming them', () => {
    const file = join(tmpdir(), 'genzoo-bad-run.json');
    writeFileSync(file, JSON.stringify({ config: {}, trian: {} }));
    const r = genzoo(
      'train',
      'ppca',
      '--dataset',
      'mnist-10k',
      '--config',
      file,
      '--out',
      join(tmpdir(), 'w'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown key(s) trian');
  });
});
