/**
 * Requests too big for memory fail within seconds, with one line that names the option to lower: model
 * sizes (`--set latentDim=…`), sample counts (`sample --n`, `complete --samples`, `explore --size`), a PNG
 * whose header declares a huge image, and a score of too few samples, before anything is drawn.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, genzooOn } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-resources-'));

/** Seconds a refusal may take on a busy machine: far below what allocating would (tens of seconds). */
const QUICK_MS = 10_000;

/** Runs genzoo on cpu; the result and its wall-clock time. */
function timed(...args: string[]): CliRun & { ms: number } {
  const start = performance.now();
  const run = genzooOn('cpu', ...args);
  return { ...run, ms: performance.now() - start };
}

/** The one `genzoo <command>: …` line of a failed run; there must be exactly one, and no stack trace. */
function errorLine(run: CliRun, command: string): string {
  expect(run.status).toBe(1);
  const lines = run.stderr.split('\n').filter((line) => line.startsWith(`genzoo ${command}:`));
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  return lines[0];
}

function train(model: string, dataset: string, ...args: string[]): string {
  const dir = join(root, model);
  const r = genzooOn('cpu', 'train', model, '--dataset', dataset, '--out', dir, '--steps', '1', ...args);
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

/**
 * The signature and IHDR chunk of a PNG declaring width × height: all that is read before a huge image
 * is refused. (Core's tests refuse a whole, valid 12000 × 12000 PNG of 140 KB the same way.)
 */
function pngHeader(path: string, width: number, height: number): void {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (gray) at byte 9
  const typed = Buffer.concat([Buffer.from('IHDR', 'latin1'), ihdr]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(ihdr.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  writeFileSync(path, Buffer.concat([signature, length, typed, crc]));
}

describe('model sizes', () => {
  it.each(['1e9', '1000000'])(
    'train vae --set latentDim=%s is refused at once, naming latentDim',
    (value) => {
      const r = timed(
        'train',
        'vae',
        '--dataset',
        'moons',
        '--out',
        join(root, `latent-${value}`),
        '--set',
        `latentDim=${value}`,
      );
      expect(errorLine(r, 'train')).toMatch(/invalid config for model "vae": latentDim: .*4096/);
      expect(r.ms).toBeLessThan(QUICK_MS);
    },
  );

  it('valid sizes whose parameters exceed the budget are refused before allocation, naming the options', () => {
    const r = timed(
      'train',
      'vae',
      '--dataset',
      'moons',
      '--out',
      join(root, 'wide'),
      '--set',
      'network.hidden=[16384,16384,16384]',
    );
    const line = errorLine(r, 'train');
    expect(line).toMatch(
      /model "vae" does not fit in memory: parameter "encoder\/dense1\/kernel" of shape \[16384, 16384\]/,
    );
    expect(line).toMatch(/over the limit of 1 GiB; .*GENZOO_MAX_PARAMETER_BYTES/);
    expect(line).toMatch(/its largest size options are network\.hidden=\[16384,16384,16384\]/);
    expect(r.stderr).not.toContain('usage:');
    expect(r.ms).toBeLessThan(QUICK_MS);
  });
});

describe('sample counts and inputs', () => {
  let gmm: string;
  let nade: string;
  let vae: string;
  let huge: string;

  beforeAll(() => {
    gmm = train('gmm', 'moons');
    nade = train('nade', 'mnist-10k', '--set', 'hidden=8', '--batch', '8', '--eval-limit', '20');
    vae = train('vae', 'mnist-10k', '--set', 'network.hidden=[16]', '--batch', '8', '--eval-limit', '20');
    huge = join(root, 'huge.png');
    pngHeader(huge, 12_000, 12_000);
  }, 120_000);

  it('sample --n 100000000 is refused at once, naming --n', () => {
    const r = timed('sample', gmm, '--n', '100000000', '--out', join(root, 'many.png'));
    expect(errorLine(r, 'sample')).toContain('--n 100000000: sample draws at most 100,000 samples');
    expect(r.ms).toBeLessThan(QUICK_MS);
  });

  it('sample --n under the cap is refused when its images would not fit, with the estimate and the limit', () => {
    const r = timed('sample', vae, '--n', '99000', '--out', join(root, 'digits.png'));
    expect(errorLine(r, 'sample')).toMatch(
      /--n 99000: the samples of shape \[28, 28, 1\] and their picture would take about 592 MiB, over the limit of 512 MiB/,
    );
    expect(r.ms).toBeLessThan(QUICK_MS);
  });

  it('score --n 5 on a 2-D run gives the n-below-20 error before anything is computed', () => {
    const r = timed('score', gmm, '--n', '5');
    expect(errorLine(r, 'score')).toContain('sample-quality scores need n ≥ 20 samples, got 5');
    expect(r.ms).toBeLessThan(QUICK_MS);
  });

  it('complete refuses a PNG declaring 12000×12000 pixels from its header, as --input or --mask', () => {
    const out = join(root, 'completed.png');
    const input = timed('complete', nade, '--input', huge, '--mask', 'top-half', '--out', out);
    expect(errorLine(input, 'complete')).toMatch(
      /--input .*huge\.png .*declares 12000×12000 pixels, more than the 16,777,216/,
    );
    expect(input.ms).toBeLessThan(QUICK_MS);
    const mask = timed('complete', nade, '--index', '0', '--mask', huge, '--out', out);
    expect(errorLine(mask, 'complete')).toMatch(/--mask .*huge\.png .*declares 12000×12000 pixels/);
    expect(mask.ms).toBeLessThan(QUICK_MS);
  });

  it('complete caps the completions drawn at once', () => {
    const r = timed(
      'complete',
      nade,
      '--index',
      '0,1,2',
      '--samples',
      '500',
      '--mask',
      'top-half',
      '--out',
      join(root, 'c.png'),
    );
    expect(errorLine(r, 'complete')).toContain('--samples 500 for 3 input(s) asks for 1500 completions');
    expect(r.ms).toBeLessThan(QUICK_MS);
  });

  it('explore --size too large for memory is refused, naming --size', () => {
    const r = timed('explore', vae, '--grid', '--size', '1000', '--out', join(root, 'grid.png'));
    expect(errorLine(r, 'explore')).toMatch(
      /--size 1000: 1000000 decoded images of shape \[28, 28, 1\] would take about 5\.84 GiB, over the limit of 512 MiB/,
    );
    expect(r.ms).toBeLessThan(QUICK_MS);
  });
});
