/**
 * `genzoo score` end to end through the built command, on mnist-10k with the reference classifier
 * cached in a temporary GENZOO_CACHE_DIR: a briefly trained VAE gets finite metrics in their ranges, the
 * second score reuses the cached classifier and repeats the numbers, a conditional model also gets its
 * Classification Accuracy Score, a run file's `evaluation.score` puts the metrics into the training
 * summary, and bad input fails with a reason.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { genzooOn, lastJson, SMALL_VAE } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-score-'));
// Inherited by every genzoo process the tests start: classifiers go here, never into ~/.cache.
process.env.GENZOO_CACHE_DIR = join(root, 'cache');
const genzoo = (...args: string[]) => genzooOn('wasm', ...args);

/** One epoch on mnist-10k's 9,000 training digits: a different (and quicker) classifier than the default. */
const QUICK_CLASSIFIER = ['--classifier-epochs', '1'];

interface Score {
  model: string;
  dataset: string;
  n: number;
  classifier_fd: number;
  classifier_kid: number;
  classifier_kid_stderr: number;
  classifier_score: number;
  classifier_score_std: number;
  precision: number;
  recall: number;
  cas?: number;
  classifier: { accuracy: number; path: string; trained: boolean };
}

function train(model: string, dir: string, ...args: string[]): Record<string, unknown> {
  const r = genzoo(
    'train',
    model,
    '--dataset',
    'mnist-10k',
    '--out',
    dir,
    '--steps',
    '20',
    ...SMALL_VAE,
    ...args,
    '--json',
  );
  expect(r.stderr).not.toMatch(/Error/);
  expect(r.status).toBe(0);
  return lastJson(r.stdout);
}

function score(dir: string, ...args: string[]): Score {
  const r = genzoo('score', dir, '--json', ...QUICK_CLASSIFIER, ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return lastJson<Score>(r.stdout);
}

function expectSaneMetrics(s: Score, n: number): void {
  expect(s.n).toBe(n);
  for (const key of [
    'classifier_fd',
    'classifier_kid',
    'classifier_kid_stderr',
    'classifier_score',
  ] as const) {
    expect(Number.isFinite(s[key])).toBe(true);
  }
  expect(s.classifier_fd).toBeGreaterThanOrEqual(0);
  expect(s.classifier_score).toBeGreaterThanOrEqual(1);
  expect(s.classifier_score).toBeLessThanOrEqual(10);
  for (const key of ['precision', 'recall'] as const) {
    expect(s[key]).toBeGreaterThanOrEqual(0);
    expect(s[key]).toBeLessThanOrEqual(1);
  }
}

describe('genzoo score', () => {
  const vaeDir = join(root, 'vae');
  let first: Score;
  beforeAll(() => {
    train('vae', vaeDir);
    first = score(vaeDir, '--n', '500');
  });

  it('scores a VAE with finite metrics in their ranges, training the classifier once', () => {
    expect(first).toMatchObject({ model: 'vae', dataset: 'mnist-10k' });
    expectSaneMetrics(first, 500);
    expect(first.classifier.trained).toBe(true);
    expect(first.classifier.path.startsWith(join(root, 'cache', 'classifiers', 'mnist-10k-'))).toBe(true);
    expect(existsSync(join(first.classifier.path, 'manifest.json'))).toBe(true);
    // One epoch of the default CNN on 9,000 digits: measured 0.930 test accuracy.
    expect(first.classifier.accuracy).toBeGreaterThan(0.9);
    // 20 steps of a VAE draw noise, far from real digits: measured FD 771, precision and recall 0.
    expect(first.classifier_fd).toBeGreaterThan(10);
  });

  it('reuses the cached classifier and repeats the numbers', () => {
    const again = score(vaeDir, '--n', '500');
    expect(again.classifier).toEqual({ ...first.classifier, trained: false });
    expect(again).toEqual({ ...first, classifier: again.classifier });
    expect(readdirSync(join(root, 'cache', 'classifiers'))).toHaveLength(1);
  });

  it('prints a table without --json', () => {
    const r = genzoo('score', vaeDir, '--n', '100', ...QUICK_CLASSIFIER);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/vae on mnist-10k: 100 samples/);
    expect(r.stdout).toMatch(/classifier_fd\s+\d/);
    expect(r.stdout).toMatch(/reference classifier: test accuracy 0\.9\d+, cached in /);
  });

  it('adds the classification accuracy score for a class-conditional model', () => {
    const dir = join(root, 'cvae');
    train('cvae', dir);
    const s = score(dir, '--n', '200');
    expectSaneMetrics(s, 200);
    expect(s.classifier.trained).toBe(false);
    expect(s.cas).toBeGreaterThanOrEqual(0);
    expect(s.cas).toBeLessThanOrEqual(1);
  });

  it('adds the metrics to a training summary when the run file asks for them', () => {
    const config = join(root, 'run.json');
    writeFileSync(config, JSON.stringify({ evaluation: { score: { n: 100, classifierEpochs: 1 } } }));
    const summary = train('vae', join(root, 'vae-scored'), '--config', config) as {
      test: Record<string, number>;
    };
    expect(summary.test.n).toBe(100);
    expect(Number.isFinite(summary.test.classifier_fd)).toBe(true);
    expect(summary.test.precision).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(summary.test.nll_nats)).toBe(true);
  });

  it('rejects bad input with a reason', () => {
    const bad = (...args: string[]) => genzoo('score', vaeDir, '--json', ...QUICK_CLASSIFIER, ...args);
    const zero = bad('--n', '0');
    expect(zero.status).not.toBe(0);
    expect(zero.stderr).toMatch(/--n must be an integer ≥ 1, got "0"/);
    const few = bad('--n', '5');
    expect(few.status).not.toBe(0);
    expect(few.stderr).toMatch(/need n ≥ 20 samples, got 5/);
    const many = bad('--n', '5000');
    expect(many.status).not.toBe(0);
    expect(many.stderr).toMatch(/n = 5000 exceeds the 1000 test images of mnist-10k/);
    const empty = mkdtempSync(join(root, 'empty-'));
    const none = genzoo('score', empty, '--json', ...QUICK_CLASSIFIER);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/no checkpoint in/);
  });

  it('scores a 2-D model by its coordinates, with mode coverage on 8 Gaussians', () => {
    const dir = join(root, 'gmm');
    const r = genzooOn(
      'cpu',
      'train',
      'gmm',
      '--dataset',
      '8gaussians',
      '--out',
      dir,
      '--steps',
      '20',
      '--json',
    );
    expect(r.status).toBe(0);
    const s = genzooOn('cpu', 'score', dir, '--json', '--n', '1000');
    expect(s.status).toBe(0);
    const result = JSON.parse(s.stdout.trim().split('\n').pop()!);
    // An 8-component mixture fitted by EM covers the 8 modes and puts its samples near them.
    expect(result.modes_covered).toBe(8);
    expect(result.high_quality_fraction).toBeGreaterThan(0.9);
    expect(result.fd).toBeGreaterThanOrEqual(0);
    expect(result.fd).toBeLessThan(0.1);
    expect(result.precision).toBeGreaterThan(0.8);
    expect(result.classifier).toBeUndefined();
  });
});
