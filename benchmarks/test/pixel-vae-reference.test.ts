/**
 * The PyTorch PixelVAE reference of the `vq-vae` suite: one entry per `pixel-vae` recipe, its flags the
 * recipe's parsed config (every leaf), steps (quick steps under --quick), batch, learning rate and
 * importance samples K; the script accepts every entry's flags (--dry-run), and a tiny run through it gives
 * a consistent results row and binary samples (where PyTorch is installed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listDatasets } from '@genzoo/datasets/node';
import { pixelVaeConfigSchema, pixelVaeDefinition } from '@genzoo/vq-vae';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { python, pythonEnv } from '../reference/python.mjs';
// @ts-expect-error plain ESM module without types
import { entries } from '../suites/vq-vae.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

interface Entry {
  id: string;
  skip?: string;
  script?: string;
  args: {
    recipe: string;
    dataset: string;
    datasetOptions: Record<string, unknown>;
    limit?: number;
    flags: Record<string, unknown>;
  };
}

const recipes = pixelVaeDefinition.reproduce.filter((r) => r.suite === 'vq-vae');
const found = new Set(
  listDatasets()
    .filter((d) => d.source.found)
    .map((d) => d.name),
);
const byId = (list: Entry[]) => new Map(list.map((e) => [e.id, e]));
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('vq-vae suite: PyTorch references of the pixel-vae recipes', () => {
  const full = byId(entries({ quick: false }));
  const quick = byId(entries({ quick: true }));

  it('has an entry per pixel-vae recipe, skipped only where its data set is absent', () => {
    expect(recipes.length).toBeGreaterThanOrEqual(4);
    for (const recipe of recipes) {
      for (const list of [full, quick]) {
        const entry = list.get(`pytorch/pixel-vae/${recipe.name}`)!;
        if (!found.has(recipe.dataset)) expect(entry.skip).toContain('is not on this machine');
        else expect(entry.skip).toBeUndefined();
      }
    }
  });

  it("passes the parsed config's leaves, steps (quick steps), batch, learning rate and K", () => {
    for (const recipe of recipes) {
      const entry = full.get(`pytorch/pixel-vae/${recipe.name}`)!;
      const quickEntry = quick.get(`pytorch/pixel-vae/${recipe.name}`)!;
      if (entry.skip) continue;
      const { pixelcnn, ...top } = pixelVaeConfigSchema.parse(recipe.config);
      const leaves = {
        ...Object.fromEntries(
          Object.entries(top).map(([k, v]) => [kebab(k), Array.isArray(v) ? v.join(',') : v]),
        ),
        ...Object.fromEntries(Object.entries(pixelcnn).map(([k, v]) => [`pixelcnn-${kebab(k)}`, v])),
      };
      expect(entry.script).toBe('reference/pytorch-pixelvae.mjs');
      expect(entry.args.datasetOptions).toEqual({ binarize: 'dynamic' });
      expect(entry.args.flags).toEqual({
        recipe: `pixel-vae/${recipe.name}`,
        ...leaves,
        steps: recipe.train.steps,
        batch: recipe.train.batchSize,
        lr: recipe.train.optimizer?.learningRate,
        'eval-samples': recipe.evaluation?.samples,
      });
      expect(entry.args.limit).toBe(recipe.evaluation?.limit);
      expect(quickEntry.args.flags).toMatchObject({
        steps: recipe.quick?.train?.steps,
        'eval-samples': recipe.quick?.evaluation?.samples,
      });
      expect(quickEntry.args.limit).toBe(recipe.quick?.evaluation?.limit);
    }
  });

  it.skipIf(!hasTorch)('the reference script accepts every entry of the suite (--dry-run)', () => {
    for (const entry of [...full.values(), ...quick.values()]) {
      if (entry.skip || !entry.id.startsWith('pytorch/pixel-vae/')) continue;
      const run = dryRun('pytorch_pixelvae.py', { ...entry.args.flags, 'train-file': '-', 'test-file': '-' });
      expect(run.stderr).not.toContain('error:');
      expect(run.status, `${entry.id}: ${run.stderr}`).toBe(0);
    }
  });

  it.skipIf(!hasTorch)(
    'a tiny run gives a consistent row: the K-sample bound beside the ELBO, binary samples',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'genzoo-pixelvae-test-'));
      try {
        // 64 grey training images, 16 binarized test images of 28 × 28, from a fixed pattern.
        const dims = 784;
        const grey = Uint8Array.from({ length: 64 * dims }, (_, i) => (i * 37) % 256);
        const test = Float32Array.from({ length: 16 * dims }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
        const files = {
          train: join(dir, 'train.u8'),
          test: join(dir, 'test.f32'),
          samples: join(dir, 's.f32'),
        };
        writeFileSync(files.train, grey);
        writeFileSync(files.test, new Uint8Array(test.buffer));
        const script = join(
          dirname(fileURLToPath(import.meta.url)),
          '..',
          'reference',
          'pytorch_pixelvae.py',
        );
        const flags = {
          recipe: 'pixel-vae/tiny',
          'train-file': files.train,
          'test-file': files.test,
          steps: 2,
          batch: 8,
          'eval-samples': 8,
          samples: 2,
          'samples-out': files.samples,
          threads: 1,
        };
        const argv = Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]);
        const run = spawnSync(python, [script, ...argv], { encoding: 'utf8', env: pythonEnv() });
        expect(run.status, run.stderr).toBe(0);
        const { row } = JSON.parse(run.stdout.trim().split('\n').pop()!);
        expect(Number.isFinite(row.nll_nats)).toBe(true);
        expect(row.bits_per_dim).toBeCloseTo(row.nll_nats / (dims * Math.LN2), 6);
        expect(row.kl_nats).toBeGreaterThanOrEqual(0);
        // Barely trained, q(z | x) is close to p(z) (KL a fraction of a nat), so the K = 8 bound lies
        // within Monte-Carlo noise of the ELBO; a wrong importance weight (log q's sign, a missing −log K =
        // 2.1 nats) moves it by nats.
        expect(Math.abs(row.nll_nats + row.elbo)).toBeLessThan(1);
        const samples = new Float32Array(readFileSync(files.samples).buffer.slice(0));
        expect(samples.length).toBe(2 * dims);
        expect(samples.every((v) => v === 0 || v === 1)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
