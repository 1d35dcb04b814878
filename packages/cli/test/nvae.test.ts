/**
 * NVAE end to end through the built `genzoo` command on mnist-10k (binarized, its recipe's protocol) at a
 * small size: it trains, reports the ELBO, nll_nats and the KL of every latent group, logs the per-group
 * KLs for curves.png, is evaluated again from its checkpoint, samples at temperatures 1.0, 0.8 and 0.6
 * (BatchNorm statistics re-estimated at each), and resumes.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
}

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
    for (const file of ['samples.png', 'curves.png', 'result.json', 'checkpoint/manifest.json']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
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

  it('resume continues to the new step budget', () => {
    const r = genzoo('resume', dir, '--steps', '44', '--json');
    expect(r.status).toBe(0);
    expect(lastJson<Summary>(r.stdout).steps).toBe(44);
  });
});
