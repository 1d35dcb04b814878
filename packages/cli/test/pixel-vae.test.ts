/**
 * PixelVAE through the built `genzoo` command on mnist-10k (its recipe's binarized data) with a tiny network
 * and a short run: `train pixel-vae --recipe mnist-10k-local` reports the bound, the importance-sampled
 * −log p(x) and the KL; `eval` the same from the checkpoint; `sample` draws z, then the PixelCNN; `resume`
 * continues the run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genzooOn, lastJson, pngSize } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-pixel-vae-'));
const SMALL = ['--batch', '16', '--eval-limit', '32', '--eval-samples', '2', '--json'];
const TINY = [
  '--set',
  'latentDim=4',
  '--set',
  'hidden=[4,8]',
  '--set',
  'mapChannels=2',
  '--set',
  'pixelcnn.channels=4',
  '--set',
  'pixelcnn.outputChannels=4',
];

interface Summary {
  model: string;
  steps: number;
  test: Record<string, number>;
}

function ok(run: ReturnType<typeof genzoo>) {
  expect(run.status, run.stderr).toBe(0);
  return run;
}

describe('genzoo with pixel-vae', () => {
  it('train → eval → sample → resume', () => {
    const dir = join(root, 'local');
    const trained = lastJson<Summary>(
      ok(
        genzoo(
          'train',
          'pixel-vae',
          '--recipe',
          'mnist-10k-local',
          '--steps',
          '4',
          ...TINY,
          ...SMALL,
          '--out',
          dir,
        ),
      ).stdout,
    );
    expect(trained.model).toBe('pixel-vae');
    expect(trained.steps).toBe(4);
    for (const key of ['elbo', 'nll_nats', 'bits_per_dim', 'kl_nats', 'reconstruction_nats'])
      expect(Number.isFinite(trained.test[key]), key).toBe(true);
    // An (almost) untrained model: close to 784 · log 2 = 543 nats, the KL small and positive.
    expect(trained.test.nll_nats).toBeGreaterThan(100);
    expect(trained.test.kl_nats).toBeGreaterThan(0);

    const evaluated = lastJson<Record<string, number>>(
      ok(genzoo('eval', dir, '--limit', '32', '--samples', '2', '--json')).stdout,
    );
    expect(evaluated.kl_nats).toBeGreaterThan(0);
    expect(evaluated.nll_nats).toBeCloseTo(trained.test.nll_nats, 0);

    const png = join(root, 'samples.png');
    ok(genzoo('sample', dir, '--n', '4', '--seed', '1', '--out', png));
    expect(pngSize(png).width).toBeGreaterThan(2 * 28);

    const resumed = lastJson<Summary>(ok(genzoo('resume', dir, '--steps', '6', '--json')).stdout);
    expect(resumed.steps).toBe(6);
  }, 60_000);
});
