/**
 * VQ-VAE-2 and its two-stage model through the built `genzoo` command on mnist-10k with tiny networks and
 * short runs: `train vq-vae-2` (with its levels.png: test images, reconstructions from the top codes alone
 * and from both levels), then `train vq-vae-2-prior --set vqvae=<run>` (a top prior and a bottom prior
 * given the top codes), whose `eval` reports the bound as its three terms, whose `sample` decodes through
 * the VQ-VAE-2 without its folder, and which resumes.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { genzooOn, lastJson, pngSize } from './run-cli.js';

const genzoo = (...args: string[]) => genzooOn('wasm', ...args);
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-vq-vae-2-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SHORT = ['--batch', '16', '--eval-limit', '64', '--json'];
const set = (...pairs: string[]) => pairs.flatMap((pair) => ['--set', pair]);
const VQVAE2 = set(
  'hidden=[8]',
  'topHidden=[8]',
  'residualBlocks=1',
  'residualChannels=8',
  'codebookSize.top=16',
  'codebookSize.bottom=16',
  'codeDim=4',
);
const PRIORS = set(
  'top.channels=8',
  'top.gatedLayers=1',
  'top.outputChannels=16',
  'bottom.channels=8',
  'bottom.gatedLayers=1',
  'bottom.outputChannels=16',
);

interface Summary {
  model: string;
  steps: number;
  test: Record<string, number>;
  files: Record<string, string>;
}

function ok(run: ReturnType<typeof genzoo>) {
  expect(run.status, run.stderr).toBe(0);
  return run;
}

describe('genzoo with VQ-VAE-2', () => {
  it('trains a VQ-VAE-2 (levels.png), then its two priors; eval, sample, resume', () => {
    const vq = join(root, 'vq2');
    const prior = join(root, 'prior');
    const first = lastJson<Summary>(
      ok(
        genzoo(
          'train',
          'vq-vae-2',
          '--recipe',
          'mnist-10k',
          '--steps',
          '4',
          ...VQVAE2,
          ...SHORT,
          '--out',
          vq,
        ),
      ).stdout,
    );
    expect(first.test.recon_mse).toBeGreaterThan(0);
    expect(first.test.recon_mse_top_only).toBeGreaterThan(0);
    expect(first.test.codes_used_top).toBeGreaterThan(0);
    expect(first.test.codes_used_bottom).toBeGreaterThan(0);
    // Each latent map adds detail: 8 test images, top-only and both-level reconstructions, one row each.
    expect(first.files.levels).toBe(join(vq, 'levels.png'));
    const levels = pngSize(first.files.levels);
    expect(levels.width).toBeGreaterThan(8 * 28);
    expect(levels.height).toBeGreaterThan(3 * 28);
    expect(levels.height).toBeLessThan(levels.width);

    const trained = lastJson<Summary>(
      ok(
        genzoo(
          'train',
          'vq-vae-2-prior',
          '--dataset',
          'mnist-10k',
          '--set',
          'data.dequantize=true',
          '--set',
          `vqvae=${vq}`,
          ...PRIORS,
          '--steps',
          '3',
          ...SHORT,
          '--out',
          prior,
        ),
      ).stdout,
    );
    expect(trained.model).toBe('vq-vae-2-prior');
    expect(trained.steps).toBe(3);

    const evaluated = lastJson<Record<string, number>>(
      ok(genzoo('eval', prior, '--limit', '64', '--json')).stdout,
    );
    // −log p(x) ≤ decoder NLL + top prior NLL + bottom prior NLL (+ 784 · log 256 for the 8-bit data).
    const { decoder_nll_nats, top_prior_nll_nats, bottom_prior_nll_nats, nll_nats } = evaluated;
    expect(top_prior_nll_nats).toBeGreaterThan(0);
    expect(bottom_prior_nll_nats).toBeGreaterThan(0);
    expect(nll_nats).toBeCloseTo(
      decoder_nll_nats + top_prior_nll_nats + bottom_prior_nll_nats + 784 * Math.log(256),
      0,
    );

    // The priors' checkpoint holds the VQ-VAE-2: samples decode with its folder gone.
    renameSync(vq, `${vq}-moved`);
    const png = join(root, 'samples.png');
    ok(genzoo('sample', prior, '--n', '4', '--seed', '1', '--out', png));
    expect(existsSync(png)).toBe(true);
    expect(pngSize(png).width).toBeGreaterThan(2 * 28);

    const resumed = lastJson<Summary>(ok(genzoo('resume', prior, '--steps', '5', '--json')).stdout);
    expect(resumed.steps).toBe(5);
    renameSync(`${vq}-moved`, vq);
  }, 90_000);
});
