/**
 * `genzoo train --workers`: a run split over the main thread and worker threads trains, records its
 * workers, resumes split the same way (exactly: interrupted + resumed = uninterrupted), picks one worker
 * per core by default for convolutional models, falls back to one for closed-form and dense models, and
 * refuses nonsense; `genzoo eval
 * --workers` shares its batches out and reports exactly the one-thread metrics.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genzooWith, lastJson, metricLines } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-workers-'));
const SMALL_VAE = [
  '--batch',
  '64',
  '--eval-limit',
  '100',
  '--eval-samples',
  '5',
  '--set',
  'network.hidden=[64]',
  '--seed',
  '3',
];
const onWasm = (...args: string[]) =>
  genzooWith({ GENZOO_BACKEND: 'wasm', GENZOO_WORKERS: undefined }, ...args);

interface Summary {
  workers: number;
  steps: number;
  train_examples_per_second: number;
  test: Record<string, number>;
}

function trainVae(name: string, steps: number, ...extra: string[]) {
  const dir = join(root, name);
  const run = onWasm(
    'train',
    'vae',
    '--dataset',
    'mnist-10k',
    '--out',
    dir,
    '--steps',
    String(steps),
    ...SMALL_VAE,
    '--json',
    ...extra,
  );
  expect(run.status, run.stderr).toBe(0);
  return { dir, summary: lastJson<Summary>(run.stdout) };
}

describe('genzoo train --workers', () => {
  it('trains a VAE split over two threads, and resumes it split the same way, exactly', () => {
    const whole = trainVae('whole', 40, '--workers', '2', '--set', 'train.logEvery=5');
    expect(whole.summary.workers).toBe(2);
    expect(whole.summary.test.nll_nats).toBeLessThan(400);
    const manifest = JSON.parse(readFileSync(join(whole.dir, 'checkpoint', 'manifest.json'), 'utf8'));
    expect(manifest.train.workers).toBe(2);

    const part = trainVae('part', 20, '--workers', '2', '--set', 'train.logEvery=5');
    const resumed = onWasm('resume', part.dir, '--steps', '40', '--json');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(lastJson<Summary>(resumed.stdout).workers).toBe(2);
    const after = (dir: string) =>
      metricLines(join(dir, 'metrics.jsonl'), 'train').filter((l) => l.step > 20);
    expect(after(part.dir)).toEqual(after(whole.dir));
  }, 240_000);

  it('uses one worker per core by default for a convolutional model; one for a closed-form or dense model', () => {
    const conv = '{"kind":"conv","channels":[8,16],"kernelSize":3,"hidden":[],"activation":"relu"}';
    const auto = trainVae('auto', 5, '--set', `network=${conv}`);
    expect(auto.summary.workers).toBe(Math.min(availableParallelism(), 64));
    // The MLP VAE: every thread would repack the whole weight matrices, so one.
    expect(trainVae('auto-mlp', 5).summary.workers).toBe(1);
    const dir = join(root, 'gmm');
    const run = onWasm('train', 'gmm', '--dataset', 'moons', '--out', dir, '--steps', '3', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(lastJson<Summary>(run.stdout).workers).toBe(1);
    // A 2-D flow (dense couplings): one, unless asked for.
    const flow = (name: string, ...extra: string[]) => {
      const dir = join(root, name);
      const r = onWasm(
        'train',
        'realnvp',
        '--dataset',
        'moons',
        '--out',
        dir,
        '--steps',
        '3',
        '--eval-limit',
        '50',
        '--json',
        ...extra,
      );
      expect(r.status, r.stderr).toBe(0);
      return lastJson<Summary>(r.stdout).workers;
    };
    expect(flow('flow-auto')).toBe(1);
    expect(flow('flow-2', '--workers', '2')).toBe(2);
    // Asked for by name, a split a closed-form model cannot do is an error that says so.
    const refused = onWasm(
      'train',
      'gmm',
      '--dataset',
      'moons',
      '--out',
      join(root, 'gmm2'),
      '--steps',
      '3',
      '--workers',
      '2',
    );
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/closed-form rule.*workers = 1/);
  }, 240_000);

  it('refuses a --workers that is not a positive integer or auto', () => {
    for (const bad of ['0', '1.5', 'many']) {
      const run = onWasm(
        'train',
        'vae',
        '--dataset',
        'mnist-10k',
        '--out',
        join(root, `bad-${bad}`),
        '--steps',
        '1',
        '--workers',
        bad,
      );
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`--workers: expected a positive integer or auto, got "${bad}"`);
    }
    const env = genzooWith(
      { GENZOO_BACKEND: 'cpu', GENZOO_WORKERS: 'x' },
      'train',
      'vae',
      '--dataset',
      'mnist-10k',
      '--out',
      join(root, 'bad-env'),
      '--steps',
      '1',
    );
    expect(env.stderr).toContain('GENZOO_WORKERS: expected a positive integer or auto, got "x"');
  });
});
