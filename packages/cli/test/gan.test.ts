/**
 * The GAN family through the built command on mnist-10k in [−1, 1]: a class-conditional GAN trains a few
 * steps with both players' losses in its summary, draws its sample grid in the data's range, samples one
 * class, resumes, and is scored with its classification accuracy score; a CycleGAN trains on unpaired
 * domains, draws its translations and is scored in both directions; an unconditional GAN refuses `--class`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { genzooOn, lastJson } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-gan-'));
process.env.GENZOO_CACHE_DIR = join(root, 'cache');
const genzoo = (...args: string[]) => genzooOn('wasm', ...args);

const SMALL_DCGAN =
  'network={"kind":"dcgan","generatorChannels":[8,4],"discriminatorChannels":[4,8],"kernelSize":4}';

function train(model: string, dir: string, ...args: string[]) {
  const r = genzoo(
    'train',
    model,
    '--dataset',
    'mnist-10k',
    '--out',
    dir,
    '--steps',
    '3',
    '--batch',
    '32',
    '--set',
    'data.range=[-1,1]',
    '--set',
    SMALL_DCGAN,
    '--set',
    'latentDim=8',
    '--json',
    ...args,
  );
  expect(r.status, r.stderr).toBe(0);
  return lastJson(r.stdout) as {
    steps: number;
    train: Record<string, number>;
    test: Record<string, number>;
    files: Record<string, string>;
  };
}

describe('genzoo with GANs', () => {
  const cgan = join(root, 'cgan');

  it('trains a conditional GAN, reporting both players, and draws a grid with a column per class', () => {
    const summary = train('cgan', cgan);
    expect(summary.steps).toBe(3);
    for (const key of ['discriminator/loss', 'discriminator/dReal', 'generator/loss'])
      expect(Number.isFinite(summary.train[key]), key).toBe(true);
    expect(summary.test).toEqual({});
    // The two players' losses get a picture of their own besides curves.png.
    expect(existsSync(summary.files.losses)).toBe(true);
    const png = PNG.sync.read(readFileSync(summary.files.samples));
    // 10 columns of 28-pixel tiles with 2-pixel padding.
    expect(png.width).toBe(10 * 30 + 2);
  });

  it('samples one class, resumes exactly where it stopped, and scores with CAS', () => {
    const out = join(root, 'seven.png');
    const s = genzoo('sample', cgan, '--class', '7', '--n', '16', '--out', out, '--json');
    expect(s.status, s.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const r = genzoo('resume', cgan, '--steps', '5', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((lastJson(r.stdout) as { steps: number }).steps).toBe(5);
    const score = genzoo('score', cgan, '--n', '100', '--classifier-epochs', '1', '--json');
    expect(score.status, score.stderr).toBe(0);
    const metrics = lastJson(score.stdout) as Record<string, number>;
    for (const key of ['classifier_fd', 'precision', 'recall', 'cas'])
      expect(Number.isFinite(metrics[key]), key).toBe(true);
    expect(metrics.cas).toBeGreaterThanOrEqual(0);
    expect(metrics.cas).toBeLessThanOrEqual(1);
  });

  it('trains a CycleGAN on unpaired domains, draws translations and cycles, and scores both directions', () => {
    const dir = join(root, 'cyclegan');
    const runFile = join(root, 'cyclegan-run.json');
    writeFileSync(runFile, JSON.stringify({ evaluation: { score: { n: 100, classifierEpochs: 1 } } }));
    const r = genzoo(
      'train',
      'cyclegan',
      '--dataset',
      'mnist-10k-inverted',
      '--out',
      dir,
      '--steps',
      '3',
      '--batch',
      '8',
      '--set',
      'channels=4',
      '--set',
      'residualBlocks=1',
      '--config',
      runFile,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = lastJson(r.stdout) as { test: Record<string, number>; files: Record<string, string> };
    for (const key of ['classifier_fd', 'b_to_a_classifier_fd', 'precision', 'cycle_error'])
      expect(Number.isFinite(summary.test[key]), key).toBe(true);
    // Six 28-pixel tiles per row (a, G(a), F(G(a)), b, F(b), G(F(b))), eight test pairs.
    const png = PNG.sync.read(readFileSync(summary.files.samples));
    expect([png.width, png.height]).toEqual([6 * 30 + 2, 8 * 30 + 2]);
    const out = join(root, 'translations.png');
    const s = genzoo('sample', dir, '--n', '4', '--out', out, '--json');
    expect(s.status, s.stderr).toBe(0);
    expect(PNG.sync.read(readFileSync(out)).height).toBe(4 * 30 + 2);
  });

  it('refuses --lr, which the players with their own optimizers would ignore, naming the config key', () => {
    const r = genzoo('train', 'gan', '--dataset', 'mnist-10k', '--out', join(root, 'lr'), '--lr', '1e-3');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /--lr: every player of gan has its own optimizer.*optimizers\.generator\.learningRate/,
    );
  });

  it('refuses --class for an unconditional GAN', () => {
    const dir = join(root, 'dcgan');
    train('dcgan', dir);
    const s = genzoo('sample', dir, '--class', '1', '--out', join(root, 'x.png'));
    expect(s.status).not.toBe(0);
    expect(s.stderr).toMatch(/is not class-conditional/);
  });
});
