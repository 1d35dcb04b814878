/**
 * The twin runner (reference/pytorch-vqvae-twin.mjs) starts the PyTorch VQ-VAE from a genzoo run's initial
 * weights and trains it on that run's very batches. After a short `genzoo train vq-vae` (4 steps, its
 * metrics logged every step), the twin's logged loss, code perplexity, codes used and reconstruction error
 * equal genzoo's at every step within float32 rounding (had the runner missed the run's weights or batches,
 * they would differ by percents from the first step on); the twin of another seed's run does not match it.
 * Where PyTorch is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { entries } from '../suites/vq-vae-seeds.mjs';
import { hasTorch } from './reference-dry-run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STEPS = 4;
/** The short run's flags, given to the CLI and (as the runner's spec) to the twin. */
const SHORT = { steps: STEPS, batchSize: 16, evalLimit: 64, logEvery: 1 };

interface Logged {
  step: number;
  loss: number;
  perplexity: number;
  codes_used: number;
  recon_mse: number;
}

describe.skipIf(!hasTorch)('the PyTorch twin of a genzoo VQ-VAE run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'genzoo-twin-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** The suite's flags for the mnist-10k twin (the recipe's config and Adam), from its seed-0 entry. */
  const flags = (entries({ quick: true }) as Array<{ id: string; args: { flags: object } }>).find(
    (e) => e.id === 'seed-0/pytorch-twin/vq-vae/mnist-10k',
  )!.args.flags;

  function genzooRun(seed: number) {
    const out = join(scratch, `genzoo-${seed}`);
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'packages', 'cli', 'dist', 'bin.js'),
        'train',
        'vq-vae',
        '--recipe',
        'mnist-10k',
        '--quick',
        '--steps',
        String(SHORT.steps),
        '--batch',
        String(SHORT.batchSize),
        '--eval-limit',
        String(SHORT.evalLimit),
        '--set',
        `train.logEvery=${SHORT.logEvery}`,
        '--seed',
        String(seed),
        '--out',
        out,
        '--json',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    return out;
  }

  function twin(seed: number, run: string) {
    const out = join(scratch, `twin-${seed}`);
    const spec = { recipe: 'vq-vae/mnist-10k', quick: true, seed, genzooRun: run, out, flags, ...SHORT };
    const result = spawnSync(
      process.execPath,
      [join(root, 'benchmarks', 'reference', 'pytorch-vqvae-twin.mjs'), JSON.stringify(spec)],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.status, result.stderr).toBe(0);
    const [row] = JSON.parse(result.stdout.trim().split('\n').pop()!).rows;
    const trajectories = JSON.parse(readFileSync(join(out, 'trajectories.json'), 'utf8'));
    return { row, genzoo: trajectories.genzoo as Logged[], pytorch: trajectories.pytorch as Logged[] };
  }

  it('follows the run step by step from its initial weights and batches; another seed does not', () => {
    const run = genzooRun(3);
    const { row, genzoo, pytorch } = twin(3, run);
    expect(genzoo.map((g) => g.step)).toEqual([1, 2, 3, 4]);
    expect(pytorch.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(a);
    for (const [i, g] of genzoo.entries()) {
      const p = pytorch[i];
      // Measured: loss ≤ 1.0e-6, recon MSE ≤ 3.1e-5 (a mean of squared small differences), perplexity
      // ≤ 1.2e-7 relative; codes used equal.
      expect(relative(g.loss, p.loss), `loss at step ${g.step}`).toBeLessThan(1e-5);
      expect(relative(g.recon_mse, p.recon_mse), `recon MSE at step ${g.step}`).toBeLessThan(2e-4);
      expect(relative(g.perplexity, p.perplexity), `perplexity at step ${g.step}`).toBeLessThan(1e-5);
      expect(p.codes_used, `codes used at step ${g.step}`).toBe(g.codes_used);
    }
    expect(row).toMatchObject({
      model: 'vq-vae',
      dataset: 'mnist-10k',
      seed: 3,
      steps: STEPS,
      twin_apart_at: null,
    });
    expect(row.twin_start_step).toBe(1);
    expect(row.twin_start_loss_gap).toBeLessThan(1e-5);

    // The twin of seed 4 against seed 3's run: different weights and batches, apart from the first step.
    const stranger = twin(4, run);
    expect(stranger.row.twin_start_loss_gap).toBeGreaterThan(1e-3);
    expect(stranger.row.twin_apart_at).toBe(1);
  }, 240_000);
});
