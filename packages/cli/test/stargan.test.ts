/**
 * StarGAN through the built command on mnist-10k-domains: it trains a few steps with both players'
 * losses in its summary, reports the reconstruction error and the scores of its translations (target-
 * domain accuracy, classifier-FD per target domain) through the dataset's domain classifier, draws test
 * images beside their translations to every domain, samples, evaluates, scores and resumes exactly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genzooOn, lastJson, pngSize } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-stargan-'));
process.env.GENZOO_CACHE_DIR = join(root, 'cache');
const genzoo = (...args: string[]) => genzooOn('wasm', ...args);

const DOMAINS = ['upright', 'rotated', 'inverted', 'thick', 'thin'];

describe('genzoo with StarGAN', () => {
  const dir = join(root, 'stargan');

  it('trains on mnist-10k-domains, scores its translations per target domain and draws them', () => {
    const runFile = join(root, 'run.json');
    writeFileSync(runFile, JSON.stringify({ evaluation: { score: { n: 100, classifierEpochs: 1 } } }));
    const r = genzoo(
      'train',
      'stargan',
      '--dataset',
      'mnist-10k-domains',
      '--out',
      dir,
      '--steps',
      '3',
      '--batch',
      '8',
      '--set',
      'data.range=[-1,1]',
      '--set',
      'data.trainLimit=500',
      '--set',
      'channels=4',
      '--set',
      'residualBlocks=1',
      '--set',
      'discriminatorSteps=2',
      '--config',
      runFile,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = lastJson(r.stdout) as {
      steps: number;
      train: Record<string, number>;
      test: Record<string, number>;
      files: Record<string, string>;
    };
    expect(summary.steps).toBe(3);
    for (const key of [
      'discriminator/loss',
      'discriminator/gradientPenalty',
      'discriminator/classification',
      'generator/loss',
      'generator/classification',
      'generator/reconstruction',
    ])
      expect(Number.isFinite(summary.train[key]), key).toBe(true);
    const keys = [
      'target_accuracy',
      'classifier_fd',
      'recon_error',
      ...DOMAINS.flatMap((d) => [`classifier_fd_to_${d}`, `target_accuracy_to_${d}`]),
    ];
    for (const key of keys) expect(Number.isFinite(summary.test[key]), key).toBe(true);
    expect(summary.test.target_accuracy).toBeGreaterThanOrEqual(0);
    expect(summary.test.target_accuracy).toBeLessThanOrEqual(1);
    // Eight test images per row with their translations to the five domains: six 28-pixel tiles.
    expect(pngSize(summary.files.samples)).toEqual({ width: 6 * 30 + 2, height: 8 * 30 + 2 });
  });

  it('samples, evaluates its reconstruction error, scores the same numbers again and resumes', () => {
    const out = join(root, 'translations.png');
    const s = genzoo('sample', dir, '--n', '4', '--out', out, '--json');
    expect(s.status, s.stderr).toBe(0);
    expect(pngSize(out)).toEqual({ width: 6 * 30 + 2, height: 4 * 30 + 2 });
    const e = genzoo('eval', dir, '--json');
    expect(e.status, e.stderr).toBe(0);
    const evaluated = lastJson(e.stdout) as Record<string, number>;
    const trained = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
      test: Record<string, number>;
    };
    expect(evaluated.recon_error).toBeCloseTo(trained.test.recon_error, 6);
    const score = genzoo('score', dir, '--n', '100', '--classifier-epochs', '1', '--json');
    expect(score.status, score.stderr).toBe(0);
    const metrics = lastJson(score.stdout) as Record<string, number>;
    expect(metrics.target_accuracy).toBeCloseTo(trained.test.target_accuracy, 6);
    expect(metrics.classifier_fd_to_rotated).toBeCloseTo(trained.test.classifier_fd_to_rotated, 3);
    const r = genzoo('resume', dir, '--steps', '5', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((lastJson(r.stdout) as { steps: number }).steps).toBe(5);
  });

  it('refuses a dataset without domain labels', () => {
    const r = genzoo('train', 'stargan', '--dataset', 'moons', '--out', join(root, 'moons'), '--steps', '1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/stargan needs images/);
  });
});
