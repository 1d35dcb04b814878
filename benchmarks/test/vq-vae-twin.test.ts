/**
 * The twin runner (reference/pytorch-vqvae-twin.mjs) starts a PyTorch first stage from a genzoo run's
 * initial weights and trains it on that run's very batches. After a short `genzoo train vq-vae` (4 steps,
 * its metrics logged every step), the twin's logged loss, code perplexity, codes used and reconstruction
 * error equal genzoo's at every step within float32 rounding (had the runner missed the run's weights or
 * batches, they would differ by percents from the first step on); the twin of another seed's run does not
 * match it. The same for `vq-vae-2`, per level, whose codebooks start from the first batch's encoder
 * outputs (the Trainer's data-dependent initialization, which the runner repeats). Where PyTorch is
 * installed.
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

describe.skipIf(!hasTorch)('the PyTorch twin of a genzoo VQ-VAE run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'genzoo-twin-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** The suite's flags for the mnist-10k twins (the recipes' configs and Adam), from their seed-0 entries. */
  const suite = entries({ quick: true }) as Array<{ id: string; args: { flags: object } }>;
  const flagsOf = (model: string) => {
    const entry = suite.find((e) => e.id === `seed-0/pytorch-twin/${model}/mnist-10k`);
    if (entry) return entry.args.flags;
    // The suite twins vq-vae only; the vq-vae-2 flags are its reference entry's.
    return suite.find((e) => e.id === 'seed-0/pytorch/vq-vae-2-prior/mnist-10k')!.args.flags;
  };

  function genzooRun(model: string, seed: number) {
    const out = join(scratch, `genzoo-${model}-${seed}`);
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'packages', 'cli', 'dist', 'bin.js'),
        'train',
        model,
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
        // The twin trains on the undivided batches.
        '--workers',
        '1',
        '--out',
        out,
        '--json',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    return out;
  }

  function twin(model: string, seed: number, run: string) {
    const out = join(scratch, `twin-${model}-${seed}`);
    const spec = {
      recipe: `${model}/mnist-10k`,
      quick: true,
      seed,
      genzooRun: run,
      out,
      flags: flagsOf(model),
      ...SHORT,
    };
    const result = spawnSync(
      process.execPath,
      [join(root, 'benchmarks', 'reference', 'pytorch-vqvae-twin.mjs'), JSON.stringify(spec)],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.status, result.stderr).toBe(0);
    const [row] = JSON.parse(result.stdout.trim().split('\n').pop()!).rows;
    const trajectories = JSON.parse(readFileSync(join(out, 'trajectories.json'), 'utf8'));
    return {
      row,
      genzoo: trajectories.genzoo as Array<Record<string, number>>,
      pytorch: trajectories.pytorch as Array<Record<string, number>>,
    };
  }

  /** Asserts that the twin's log equals genzoo's at every step, within float32 rounding. */
  function expectInStep(genzoo: Array<Record<string, number>>, pytorch: Array<Record<string, number>>) {
    expect(genzoo.map((g) => g.step)).toEqual([1, 2, 3, 4]);
    expect(pytorch.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(a);
    // Measured, the larger of vq-vae and vq-vae-2: loss 1.5e-5 (vq-vae-2's, a sum of large terms of both
    // signs; vq-vae 1.0e-6), reconstruction MSE 3.1e-5 (a mean of squared small differences), perplexities
    // 1.7e-7, relative; codes used equal. Tolerances about 5 times those.
    const tolerance = (name: string) =>
      name === 'loss' ? 1e-4 : name === 'recon_mse' ? 2e-4 : name.startsWith('perplexity') ? 1e-6 : 0;
    for (const [i, g] of genzoo.entries()) {
      const names = Object.keys(g).filter((name) => name !== 'step');
      expect(names).toEqual(expect.arrayContaining(['loss', 'recon_mse']));
      expect(Object.keys(pytorch[i]).sort()).toEqual(Object.keys(g).sort());
      for (const name of names)
        expect(relative(g[name], pytorch[i][name]), `${name} at step ${g.step}`).toBeLessThanOrEqual(
          tolerance(name),
        );
    }
  }

  it('vq-vae: follows the run step by step from its initial weights and batches; another seed does not', () => {
    const run = genzooRun('vq-vae', 3);
    const { row, genzoo, pytorch } = twin('vq-vae', 3, run);
    expectInStep(genzoo, pytorch);
    expect(Object.keys(genzoo[0]).sort()).toEqual(['codes_used', 'loss', 'perplexity', 'recon_mse', 'step']);
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
    const stranger = twin('vq-vae', 4, run);
    expect(stranger.row.twin_start_loss_gap).toBeGreaterThan(1e-3);
    expect(stranger.row.twin_apart_at).toBe(1);
  }, 240_000);

  it('vq-vae-2: the same per level, from codebooks initialized on the first batch', () => {
    const { row, genzoo, pytorch } = twin('vq-vae-2', 5, genzooRun('vq-vae-2', 5));
    expectInStep(genzoo, pytorch);
    expect(Object.keys(genzoo[0])).toEqual(
      expect.arrayContaining(['perplexity_top', 'perplexity_bottom', 'codes_used_top', 'codes_used_bottom']),
    );
    expect(row).toMatchObject({ model: 'vq-vae-2', seed: 5, twin_apart_at: null });
  }, 240_000);
});
