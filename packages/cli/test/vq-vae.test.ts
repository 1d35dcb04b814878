/**
 * The two-stage VQ-VAE through the built `genzoo` command on mnist-10k with tiny networks and short runs:
 * `train vq-vae` (with levels.png: test images above their reconstructions), then `train vq-vae-prior --set vqvae=<run>` (a Gated PixelCNN prior over its codes),
 * whose `eval` reports the bound as decoder term + prior term, whose `sample` decodes through the VQ-VAE
 * without its folder, and which resumes; and a plain `gated-pixelcnn` on the `vq-codes` dataset, refused
 * on resume once the VQ-VAE changed.
 */
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genzooOn, lastJson, pngSize } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-vq-vae-'));
const SHORT = ['--batch', '32', '--eval-limit', '100', '--json'];
const VQVAE = [
  '--set',
  'hidden=[8,16]',
  '--set',
  'residualBlocks=1',
  '--set',
  'codebookSize=16',
  '--set',
  'codeDim=4',
];
const PRIOR = [
  '--set',
  'prior.channels=8',
  '--set',
  'prior.gatedLayers=1',
  '--set',
  'prior.outputChannels=16',
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

describe('genzoo with the two-stage VQ-VAE', () => {
  it('trains a VQ-VAE, then a prior over its codes; eval, sample, resume', () => {
    const vq = join(root, 'vq');
    const prior = join(root, 'prior');
    const first = lastJson<Summary & { files: Record<string, string> }>(
      ok(genzoo('train', 'vq-vae', '--recipe', 'mnist-10k', '--steps', '5', ...VQVAE, ...SHORT, '--out', vq))
        .stdout,
    );
    // Its reconstruction picture: 8 test images above their reconstructions.
    expect(first.files.levels).toBe(join(vq, 'levels.png'));
    const levels = pngSize(first.files.levels);
    expect(levels.width).toBeGreaterThan(8 * 28);
    expect(levels.height).toBeGreaterThan(2 * 28);
    expect(levels.height).toBeLessThan(3 * 28);

    const trained = lastJson<Summary>(
      ok(
        genzoo(
          'train',
          'vq-vae-prior',
          '--dataset',
          'mnist-10k',
          '--set',
          'data.dequantize=true',
          '--set',
          `vqvae=${vq}`,
          ...PRIOR,
          '--steps',
          '5',
          ...SHORT,
          '--out',
          prior,
        ),
      ).stdout,
    );
    expect(trained.model).toBe('vq-vae-prior');
    expect(trained.steps).toBe(5);

    const evaluated = lastJson<Record<string, number>>(
      ok(genzoo('eval', prior, '--limit', '100', '--json')).stdout,
    );
    // −log p(x) ≤ decoder NLL + prior NLL (+ 784 · log 256: the 8-bit data's nats of the dequantized density).
    const { decoder_nll_nats, prior_nll_nats, nll_nats, bits_per_dim } = evaluated;
    expect(prior_nll_nats).toBeGreaterThan(0);
    expect(nll_nats).toBeCloseTo(decoder_nll_nats + prior_nll_nats + 784 * Math.log(256), 0);
    expect(bits_per_dim).toBeCloseTo(nll_nats / (784 * Math.LN2), 3);

    // The prior's checkpoint holds the VQ-VAE: samples decode with the VQ-VAE's folder gone.
    renameSync(vq, `${vq}-moved`);
    const png = join(root, 'samples.png');
    ok(genzoo('sample', prior, '--n', '4', '--seed', '1', '--out', png));
    expect(pngSize(png).width).toBeGreaterThan(2 * 28);
    renameSync(`${vq}-moved`, vq);

    const resumed = lastJson<Summary>(ok(genzoo('resume', prior, '--steps', '7', '--json')).stdout);
    expect(resumed.steps).toBe(7);
  }, 60_000);

  it('trains a gated-pixelcnn on vq-codes and refuses to resume it once the VQ-VAE changed', () => {
    const vq = join(root, 'vq-codes-source');
    const codes = join(root, 'codes-prior');
    ok(genzoo('train', 'vq-vae', '--recipe', 'mnist-10k', '--steps', '3', ...VQVAE, ...SHORT, '--out', vq));
    const head = '{"kind":"categorical","categories":16,"values":"index"}';
    const trained = lastJson<Summary>(
      ok(
        genzoo(
          'train',
          'gated-pixelcnn',
          '--dataset',
          'vq-codes',
          '--set',
          `data.run=${vq}`,
          '--set',
          `head=${head}`,
          '--set',
          'channels=8',
          '--set',
          'gatedLayers=1',
          '--set',
          'outputChannels=16',
          '--steps',
          '3',
          ...SHORT,
          '--out',
          codes,
        ),
      ).stdout,
    );
    expect(trained.test.nll_nats).toBeGreaterThan(0);
    ok(
      genzoo(
        'train',
        'vq-vae',
        '--recipe',
        'mnist-10k',
        '--steps',
        '4',
        ...VQVAE,
        ...SHORT,
        '--out',
        vq,
        '--overwrite',
      ),
    );
    const refused = genzoo('resume', codes, '--steps', '5');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/changed since its codes were recorded/);
  }, 60_000);
});
