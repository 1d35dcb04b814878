/**
 * The PyTorch NVAE reference of the `vae` suite (`pytorch/nvae/mnist-10k`): its flags are the nvae/mnist-10k
 * recipe's (parsed config, batch, learning rate, epochs, K), the recipe stays within what the script
 * implements, and the script builds the same network — the same number of parameters as genzoo's model —
 * and runs a tiny training and evaluation to a consistent results row (where PyTorch is installed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@genzoo/backends';
import { nvaeConfigSchema, nvaeDefinition } from '@genzoo/vae';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { python, pythonEnv } from '../reference/python.mjs';
// @ts-expect-error plain ESM module without types
import { pytorchNvae } from '../suites/vae.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

beforeAll(async () => {
  await initBackend({ force: 'cpu', quiet: true });
});

const recipe = nvaeDefinition.reproduce.find((r) => r.name === 'mnist-10k')!;
const config = nvaeConfigSchema.parse(recipe.config);

describe('vae suite: the PyTorch NVAE reference', () => {
  it('takes the recipe’s network, warm-up, batch, learning rate, epochs and K', () => {
    const quick = pytorchNvae(true).args;
    const full = pytorchNvae(false).args;
    expect(quick.testSet).toEqual({
      dataset: 'mnist-10k',
      options: recipe.datasetOptions,
      trainLevels: true,
    });
    expect(quick.args).toMatchObject({
      channels: config.channels,
      groups: config.groupsPerScale,
      latent: config.latentChannels,
      expansion: config.expansion,
      'se-reduction': config.seReduction,
      warmup: config.klWarmupSteps,
      batch: recipe.train?.batchSize,
      epochs: recipe.quick?.train?.epochs,
      'eval-limit': recipe.quick?.evaluation?.limit,
      'eval-samples': recipe.quick?.evaluation?.samples,
    });
    expect(full.args).toMatchObject({
      epochs: recipe.train?.epochs,
      'eval-samples': recipe.evaluation?.samples,
    });
  });

  it('the recipe stays within what the script implements', () => {
    expect(config).toMatchObject({
      scales: 2,
      cellsPerGroup: 1,
      preprocessCells: 0,
      postprocessCells: 0,
      klBalancing: true,
      spectralRegularization: 0,
      likelihood: { kind: 'bernoulli' },
    });
    expect(recipe.train?.optimizer).toMatchObject({ name: 'adam' });
  });

  it.skipIf(!hasTorch)('builds the same network: as many parameters as genzoo’s', () => {
    const run = dryRun('pytorch_nvae.py', pytorchNvae(true).args.args);
    expect(run.status, run.stderr).toBe(0);
    const { parameters } = JSON.parse(run.stdout.trim().split('\n').pop()!);
    const model = nvaeDefinition.create(config, { eventShape: [28, 28, 1], seed: 0 });
    // genzoo's trainable variables; PyTorch's depthwise convolutions have no bias, nor do genzoo's.
    const genzoo = Object.values(model.variables())
      .filter((v) => v.trainable)
      .reduce((n, v) => n + v.size, 0);
    model.dispose();
    expect(parameters).toBe(genzoo);
  });

  it.skipIf(!hasTorch)('a tiny run gives a consistent results row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'genzoo-nvae-reference-'));
    try {
      const train = Uint8Array.from({ length: 200 * 784 }, (_, i) => ((i * 37) % 255) * Number(i % 7 < 3));
      const test = Uint8Array.from({ length: 20 * 784 }, (_, i) => Number(i % 5 === 0));
      writeFileSync(join(dir, 'train.u8'), train);
      writeFileSync(join(dir, 'test.u8'), test);
      const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'reference', 'pytorch_nvae.py');
      const flags = ['--train-file', join(dir, 'train.u8'), '--test-file', join(dir, 'test.u8')];
      const run = spawnSync(
        python,
        [script, ...flags, '--epochs', '0.5', '--batch', '16', '--eval-limit', '20', '--eval-samples', '3'],
        { encoding: 'utf8', env: pythonEnv() },
      );
      expect(run.status, run.stderr).toBe(0);
      const [row] = JSON.parse(run.stdout.trim().split('\n').pop()!).rows;
      expect(row.steps).toBe(6); // half of the 12 full batches of 16
      expect(row.nll_nats).toBeGreaterThan(0);
      // log p(x) ≥ ELBO up to Monte Carlo error, and the ELBO is the per-group KLs away from log p(x|z).
      expect(-row.nll_nats).toBeGreaterThan(row.elbo - 5);
      for (let l = 1; l <= 4; l++) expect(row[`kl_group_${l}`]).toBeGreaterThanOrEqual(0);
      expect(row.kl_group_5).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
