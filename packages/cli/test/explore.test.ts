/**
 * End-to-end tests of `genzoo explore` on the built command: PPCA (a latent model fitted in closed form in
 * seconds) on mnist-10k draws every picture; a mixture model and bad arguments are refused clearly.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { genzooOn, readPng } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-explore-'));
const ppca = join(root, 'ppca');

/** MNIST tiles are 28 pixels with 2 pixels of padding between and around them. */
const TILE = 28;
const PAD = 2;
const extent = (tiles: number) => tiles * TILE + (tiles + 1) * PAD;

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);

interface ExploreSummary {
  model: string;
  mode: string;
  out: string;
  width: number;
  height: number;
  rows: number;
  columns: number;
  dims?: number[];
  kl?: number[];
  indices?: number[];
  method?: string;
}

/** Runs explore with --json and checks that it succeeded. */
function explore(...args: string[]): ExploreSummary {
  const r = genzoo('explore', ppca, ...args, '--json');
  expect(r.stderr).not.toMatch(/Error|explore:/);
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Distinct gray levels of tile (row, column): a decoded digit has many, a blank or flat tile one. */
function grayLevels(png: PNG, row: number, column: number): number {
  const levels = new Set<number>();
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      const px = PAD + column * (TILE + PAD) + x;
      const py = PAD + row * (TILE + PAD) + y;
      levels.add(png.data[4 * (py * png.width + px)]);
    }
  }
  return levels.size;
}

beforeAll(() => {
  const r = genzoo(
    'train',
    'ppca',
    '--dataset',
    'mnist-10k',
    '--set',
    'latentDim=8',
    '--out',
    ppca,
    '--json',
  );
  expect(r.status).toBe(0);
});

describe('genzoo explore on ppca (mnist-10k, 8 latent dimensions)', () => {
  it('--grid writes a size × size manifold of decoded digits', () => {
    const out = join(root, 'grid.png');
    const summary = explore('--grid', '--size', '5', '--dims', '2,5', '--out', out);
    expect(summary).toMatchObject({ model: 'ppca', mode: 'grid', rows: 5, columns: 5, dims: [2, 5] });
    const png = readPng(out);
    expect([png.width, png.height]).toEqual([extent(5), extent(5)]);
    expect([summary.width, summary.height]).toEqual([png.width, png.height]);
    expect(grayLevels(png, 0, 0)).toBeGreaterThan(20);
    expect(grayLevels(png, 4, 4)).toBeGreaterThan(20);
  });

  it('--traverse draws one row per latent dimension, most informative first', () => {
    const out = join(root, 'traverse.png');
    const summary = explore('--traverse', '--steps', '7', '--index', '4', '--out', out);
    expect([summary.rows, summary.columns]).toEqual([8, 7]);
    expect([...summary.dims!].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(summary.kl).toEqual([...summary.kl!].sort((a, b) => b - a));
    expect(summary.kl![0]).toBeGreaterThan(0);
    const png = readPng(out);
    expect([png.width, png.height]).toEqual([extent(7), extent(8)]);

    const chosen = explore('--traverse', '--dims', '3,1', '--order', 'index', '--out', join(root, 't2.png'));
    expect(chosen).toMatchObject({ rows: 2, columns: 11, dims: [3, 1], indices: [0] });
  });

  it('--interpolate frames the path with the two inputs; spherical and linear paths differ', () => {
    const linear = join(root, 'linear.png');
    const spherical = join(root, 'spherical.png');
    const summary = explore('--interpolate', '--index', '3,7', '--steps', '6', '--out', linear);
    expect(summary).toMatchObject({ rows: 1, columns: 8, method: 'linear', indices: [3, 7] });
    expect(readPng(linear).width).toBe(extent(8));
    expect(readPng(linear).height).toBe(extent(1));
    explore('--interpolate', '--index', '3,7', '--steps', '6', '--method', 'spherical', '--out', spherical);
    expect(readFileSync(linear).equals(readFileSync(spherical))).toBe(false);
  });

  it('--arithmetic shows a, b, c and the decoded a − b + c', () => {
    const out = join(root, 'arithmetic.png');
    const summary = explore('--arithmetic', '--index', '0,1,2', '--out', out);
    expect(summary).toMatchObject({ rows: 1, columns: 4, indices: [0, 1, 2] });
    const png = readPng(out);
    expect([png.width, png.height]).toEqual([extent(4), extent(1)]);
    expect(grayLevels(png, 0, 3)).toBeGreaterThan(20);
  });

  it('--grid without --dims spans the two highest-KL dimensions (--order index: 0 and 1)', () => {
    const ranked = explore('--grid', '--size', '3', '--out', join(root, 'ranked.png'));
    const traversal = explore('--traverse', '--out', join(root, 'ranked-traverse.png'));
    expect(ranked.dims).toEqual(traversal.dims!.slice(0, 2));
    expect(ranked.kl).toEqual(traversal.kl!.slice(0, 2));
    const indexed = explore('--grid', '--size', '3', '--order', 'index', '--out', join(root, 'indexed.png'));
    expect(indexed.dims).toEqual([0, 1]);
    expect(indexed.kl).toBeUndefined();
  });

  it('prints one line naming the file without --json', () => {
    const out = join(root, 'plain.png');
    const r = genzoo('explore', ppca, '--grid', '--size', '3', '--order', 'index', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(
      `wrote ${out}: 3×3 latent manifold grid over dimensions 0 and 1 (${extent(3)}×${extent(3)} px)`,
    );
  });
});

describe('genzoo explore refuses what it cannot draw', () => {
  it('a model without a latent space (gmm on two moons) is a one-line error with the usage', () => {
    const gmm = join(root, 'gmm');
    expect(genzoo('train', 'gmm', '--dataset', 'moons', '--steps', '5', '--out', gmm).status).toBe(0);
    const r = genzoo('explore', gmm, '--grid', '--out', join(root, 'gmm.png'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('genzoo explore: model "gmm" has no latent space to explore');
    expect(r.stderr).toContain('usage: genzoo explore <dir>');
  });

  it('needs exactly one mode flag, flags that the mode uses, and indices that exist', () => {
    const cases: Array<[string[], string]> = [
      [['--out', 'x.png'], 'choose what to draw: one of --grid, --traverse, --interpolate, --arithmetic'],
      [['--grid', '--traverse', '--out', 'x.png'], 'choose one picture at a time, got --grid and --traverse'],
      [['--grid'], '--out file.png is required'],
      [['--grid', '--index', '3', '--out', 'x.png'], '--index is not used by --grid'],
      [
        ['--arithmetic', '--index', '1,2', '--out', 'x.png'],
        '--index for --arithmetic takes 3 example indices',
      ],
      [['--interpolate', '--index', '1,b', '--out', 'x.png'], '--index must be comma-separated integers'],
      [
        ['--traverse', '--index', '99999', '--out', 'x.png'],
        '--index 99999: the test split of mnist-10k has',
      ],
      [['--grid', '--dims', '0,1,2', '--out', 'x.png'], '--dims for --grid takes 2 dimensions i,j, got 3'],
      [['--interpolate', '--method', 'cubic', '--out', 'x.png'], '--method must be linear or spherical'],
      [['--grid', '--dims', '0,8', '--out', 'x.png'], 'latent dimension 8 does not exist'],
      [['--traverse', '--class', '1', '--out', 'x.png'], '--class: model "ppca" is not class-conditional'],
    ];
    for (const [args, message] of cases) {
      const r = genzoo('explore', ppca, ...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('usage: genzoo explore');
    }
  });
});
