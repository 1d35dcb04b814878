/**
 * The autoregressive family end to end through the built `genzoo` command on mnist-10k, binarized
 * dynamically (the family's mnist-10k protocol), with tiny networks and short runs: every model trains
 * and reports its sampling speed, eval reproduces the run's test metrics, sample and complete write
 * pictures of the right size, complete keeps the observed pixels exactly, and complete refuses models,
 * pictures and flags it cannot use with a clear reason. The newest model (multiscale-pixelcnn) also
 * resumes to a larger budget (resume itself is the Trainer's, tested for every kind of player elsewhere).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { tf } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { imageGrid, type RgbaImage, readableScale } from '@genzoo/pictures';
import { writePng } from '@genzoo/pictures/node';
import type { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { genzooOn, lastJson, metricLines, pngSize, readPng } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-autoregressive-'));

const TILE = 28;
/** 784 Bernoulli pixels at p = ½: the nats of a model that learned nothing. */
const UNIFORM_NATS = 784 * Math.LN2;
/** Short runs in small batches, evaluated on a test subset, so that each run takes seconds. */
const SHORT = ['--steps', '40', '--batch', '32', '--eval-limit', '200'];

interface Summary {
  model: string;
  steps: number;
  test: { nll_nats: number; bits_per_dim: number };
  sampling: { images: number; seconds: number; images_per_second: number };
}

interface CompleteSummary {
  model: string;
  out: string;
  inputs: number;
  samples: number;
  mask: string;
  seconds: number;
  observed_fraction: number;
  width: number;
  height: number;
}

/**
 * The size and padding imageGrid gives `n` digits in `columns` columns, each pixel drawn `scale` times
 * larger (its layout, not a copy of it).
 */
function gridLayout(n: number, columns: number, scale = 1) {
  const blank = tf.zeros([n, TILE, TILE, 1]);
  const { width, height } = imageGrid(blank, { columns, scale });
  blank.dispose();
  return { size: { width, height }, pad: (width - columns * TILE * scale) / (columns + 1), scale };
}

/** Completion grids enlarge 28×28 digits to be readable. */
const COMPLETION_SCALE = readableScale(TILE, TILE);

/** The red channel of tile (row, column) of a grid with `layout`'s padding and scale, row-major. */
function tile(png: PNG, layout: { pad: number; scale: number }, row: number, column: number): number[] {
  const { pad, scale } = layout;
  const values: number[] = [];
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      const px = pad + column * (TILE * scale + pad) + x * scale;
      const py = pad + row * (TILE * scale + pad) + y * scale;
      values.push(png.data[4 * (py * png.width + px)]);
    }
  }
  return values;
}

/** A gray image as RGBA, from values in [0, 1]. */
function grayImage(values: ArrayLike<number>, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...new Array(3).fill(values[i] * 255), 255], 4 * i);
  return { width, height, data };
}

/** The first test digit of the runs' dataset, as the models see it (binary), 0 or 255 per pixel. */
let firstTestDigit: number[];

beforeAll(async () => {
  await initBackend({ force: 'cpu', quiet: true });
  const data = await loadDataset('mnist-10k', { binarize: 'dynamic' });
  const batch = data.test.getBatch([0]);
  firstTestDigit = Array.from(batch.x.dataSync(), (v) => v * 255);
  tf.dispose([batch.x, batch.labels, batch.condition].filter((t) => t !== undefined));
});

function train(model: string, args: string[]): string {
  const dir = join(root, model);
  const r = genzoo(
    'train',
    model,
    '--dataset',
    'mnist-10k',
    '--set',
    'data.binarize=dynamic',
    '--out',
    dir,
    ...SHORT,
    ...args,
    '--json',
  );
  expect(r.stderr).not.toMatch(/Error/);
  expect(r.status).toBe(0);
  return dir;
}

/** Runs complete with --json on `dir` and checks that it succeeded. */
function complete(dir: string, ...args: string[]): CompleteSummary {
  const r = genzoo('complete', dir, ...args, '--json');
  expect(r.stderr).not.toMatch(/Error|complete:/);
  expect(r.status).toBe(0);
  return lastJson<CompleteSummary>(r.stdout);
}

const MODELS = [
  {
    model: 'pixelcnn',
    args: ['--set', 'channels=8', '--set', 'residualBlocks=1', '--set', 'outputChannels=8'],
  },
  {
    model: 'gated-pixelcnn',
    args: [
      '--set',
      'channels=4',
      '--set',
      'gatedLayers=1',
      '--set',
      'outputChannels=8',
      '--set',
      'conditional=true',
      // A 3 × 3 first layer instead of 7 × 7 cuts the slowest of the four runs by a third.
      '--set',
      'firstKernel=3',
    ],
    classes: 10,
  },
  {
    model: 'multiscale-pixelcnn',
    args: [
      '--set',
      'channels=8',
      '--set',
      'residualBlocks=1',
      '--set',
      'outputChannels=8',
      '--set',
      'upsampleChannels=8',
      '--set',
      'upsampleBlocks=1',
    ],
  },
  { model: 'made', args: ['--set', 'hidden=[64]', '--set', 'masks=2'] },
  { model: 'nade', args: ['--set', 'hidden=32'] },
];

describe.each(MODELS)('$model: train → eval → sample → complete', ({ model, args, classes }) => {
  let dir: string;
  let summary: Summary;
  /** Conditional models draw every picture from class 7. */
  const classArgs = classes ? ['--class', '7'] : [];
  beforeAll(() => {
    dir = train(model, args);
    summary = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
  });

  it('trains below the uniform model and reports the sampling speed of samples.png', () => {
    expect(summary).toMatchObject({ model, steps: 40 });
    expect(summary.test.nll_nats).toBeLessThan(UNIFORM_NATS);
    expect(summary.test.bits_per_dim).toBeCloseTo(summary.test.nll_nats / (784 * Math.LN2), 6);
    // 64 samples, or 8 per class for a conditional model.
    expect(summary.sampling.images).toBe(classes ? classes * 8 : 64);
    expect(summary.sampling.images_per_second).toBeGreaterThan(0);
    const samples = pngSize(join(dir, 'samples.png'));
    expect(samples).toEqual(gridLayout(summary.sampling.images, classes ?? 8).size);
  });

  it('eval reproduces the test metrics of result.json exactly', () => {
    const r = genzoo('eval', dir, '--limit', '200', '--json');
    expect(r.status).toBe(0);
    const metrics = lastJson<Summary['test']>(r.stdout);
    expect(metrics.nll_nats).toBe(summary.test.nll_nats);
    expect(metrics.bits_per_dim).toBe(summary.test.bits_per_dim);
  });

  it('sample writes a grid of the right size', () => {
    const out = join(dir, 'four.png');
    const r = genzoo('sample', dir, '--n', '4', ...classArgs, '--out', out);
    expect(r.status).toBe(0);
    expect(pngSize(out)).toEqual(gridLayout(4, 2).size);
  });

  it('complete --index draws a row per test image: original, masked, then the completions', () => {
    const out = join(dir, 'completed.png');
    const result = complete(
      dir,
      '--index',
      '0,1',
      '--mask',
      'top-half',
      '--samples',
      '3',
      ...classArgs,
      '--out',
      out,
    );
    expect(result).toMatchObject({
      model,
      out,
      inputs: 2,
      samples: 3,
      mask: 'top-half',
      observed_fraction: 0.5,
    });
    expect(result.seconds).toBeGreaterThan(0);
    const layout = gridLayout(2 * 5, 5, COMPLETION_SCALE);
    expect(pngSize(out)).toEqual(layout.size);
    // The first row starts with test digit 0 itself.
    expect(tile(readPng(out), layout, 0, 0)).toEqual(firstTestDigit);
  });

  it('complete --input keeps the observed pixels exactly and draws binary missing ones', () => {
    const input = join(root, 'digit.png');
    writePng(
      input,
      grayImage(
        firstTestDigit.map((v) => v / 255),
        TILE,
        TILE,
      ),
    );
    const out = join(dir, 'from-png.png');
    const result = complete(
      dir,
      '--input',
      input,
      '--mask',
      'top-half',
      '--samples',
      '2',
      ...classArgs,
      '--out',
      out,
    );
    expect(result).toMatchObject({ inputs: 1, samples: 2, observed_fraction: 0.5 });
    const layout = gridLayout(4, 4, COMPLETION_SCALE);
    const png = readPng(out);
    const top = TILE * (TILE / 2);
    expect(tile(png, layout, 0, 0)).toEqual(firstTestDigit);
    // The masked input: the top half as given, the bottom half mid-grey.
    const masked = tile(png, layout, 0, 1);
    expect(masked.slice(0, top)).toEqual(firstTestDigit.slice(0, top));
    expect(new Set(masked.slice(top))).toEqual(new Set([128]));
    for (const column of [2, 3]) {
      const completion = tile(png, layout, 0, column);
      expect(completion.slice(0, top), `completion ${column - 1}`).toEqual(firstTestDigit.slice(0, top));
      expect(completion.every((v) => v === 0 || v === 255)).toBe(true);
    }
  });
});

describe('multiscale-pixelcnn: resume', () => {
  it('trains on to a larger budget, appending to the log; eval matches the resumed run', () => {
    const dir = join(root, 'multiscale-pixelcnn');
    const r = genzoo('resume', dir, '--steps', '60', '--json');
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const resumed = lastJson<Summary>(r.stdout);
    expect(resumed.steps).toBe(60);
    const steps = metricLines(join(dir, 'metrics.jsonl'), 'train').map((l) => l.step);
    expect(steps[steps.length - 1]).toBe(60);
    expect(steps.filter((step) => step > 40).length).toBeGreaterThan(0);
    const metrics = lastJson<Summary['test']>(genzoo('eval', dir, '--limit', '200', '--json').stdout);
    expect(metrics.nll_nats).toBe(resumed.test.nll_nats);
  });
});

describe('complete masks', () => {
  it('center hides a centred square of half the side; a mask PNG observes its white pixels', () => {
    const nade = join(root, 'nade');
    const center = complete(
      nade,
      '--index',
      '0',
      '--mask',
      'center',
      '--samples',
      '1',
      '--out',
      join(root, 'c.png'),
    );
    expect(center.observed_fraction).toBe(1 - (TILE / 2) ** 2 / TILE ** 2);
    // White on the left: the left half of each row is observed.
    const maskPng = join(root, 'left.png');
    const left = Array.from({ length: TILE * TILE }, (_, i) => (i % TILE < TILE / 2 ? 1 : 0));
    writePng(maskPng, grayImage(left, TILE, TILE));
    const out = join(root, 'left-completed.png');
    const result = complete(nade, '--index', '0', '--mask', maskPng, '--samples', '1', '--out', out);
    expect(result).toMatchObject({ mask: maskPng, observed_fraction: 0.5 });
    const completion = tile(readPng(out), gridLayout(3, 3, COMPLETION_SCALE), 0, 2);
    const kept = (values: number[]) => values.filter((_, i) => left[i] === 1);
    expect(kept(completion)).toEqual(kept(firstTestDigit));
  });
});

describe('complete refuses what it cannot use', () => {
  const pixelcnn = () => join(root, 'pixelcnn');

  it('a model without complete (gmm) is named, with the models that can', () => {
    const dir = join(root, 'gmm');
    const trained = genzooOn('cpu', 'train', 'gmm', '--dataset', 'moons', '--out', dir, '--steps', '1');
    expect(trained.status).toBe(0);
    const r = genzooOn(
      'cpu',
      'complete',
      dir,
      '--index',
      '0',
      '--mask',
      'top-half',
      '--out',
      join(dir, 'x.png'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'model "gmm" cannot complete images: only autoregressive models (nade, made, pixelcnn, gated-pixelcnn, multiscale-pixelcnn) implement complete',
    );
  });

  it('a PNG of another size names both sizes', () => {
    const big = join(root, 'big.png');
    writePng(big, grayImage(new Float32Array(32 * 30), 32, 30));
    const r = genzoo(
      'complete',
      pixelcnn(),
      '--input',
      big,
      '--mask',
      'top-half',
      '--out',
      join(root, 'x.png'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is 32×30 pixels, but the model takes 28×28 images');
  });

  it('a conditional model needs --class; an unconditional one refuses it', () => {
    const out = join(root, 'x.png');
    const args = ['--index', '0', '--mask', 'center', '--out', out];
    const missing = genzoo('complete', join(root, 'gated-pixelcnn'), ...args);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('--class K is required: model "gated-pixelcnn" is class-conditional');
    const extra = genzoo('complete', pixelcnn(), ...args, '--class', '3');
    expect(extra.status).toBe(1);
    expect(extra.stderr).toContain('--class: model "pixelcnn" is not class-conditional');
  });

  it('exactly one of --input and --index, and a known mask', () => {
    const out = join(root, 'x.png');
    const neither = genzoo('complete', pixelcnn(), '--mask', 'top-half', '--out', out);
    expect(neither.status).toBe(1);
    expect(neither.stderr).toContain('give the images to complete: --input img.png, or --index');
    const both = genzoo(
      'complete',
      pixelcnn(),
      '--input',
      'a.png',
      '--index',
      '0',
      '--mask',
      'top-half',
      '--out',
      out,
    );
    expect(both.stderr).toContain('give either --input or --index, not both');
    const mask = genzoo('complete', pixelcnn(), '--index', '0', '--mask', 'diagonal', '--out', out);
    expect(mask.status).toBe(1);
    expect(mask.stderr).toContain(
      '--mask must be one of top-half, bottom-half, left-half, right-half, center',
    );
  });
});
