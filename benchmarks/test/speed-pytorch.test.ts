/**
 * The PyTorch half of the `speed` suite: every workload's reference flags are built from its genzoo recipe
 * (the workload's config overrides merged), with the speed budget (steps, warm-up, tiny evaluation,
 * sampling only when asked); the script accepts them (--dry-run, where PyTorch is installed) and builds a
 * network with exactly as many trainable parameters as genzoo's.
 */
import { initBackend } from '@genzoo/backends';
import { createModel } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { EVAL_LIMIT, pytorchRun, SAMPLE_COUNT, WARMUP_STEPS, workloadRecipe } from '../speed/pytorch.mjs';
// @ts-expect-error plain ESM module without types
import { WORKLOADS } from '../speed/workloads.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

interface Workload {
  id: string;
  model: string;
  recipe: string;
  config?: object;
  sampling?: boolean;
  steps: number;
  pytorchSteps: number;
}
interface Run {
  script: string;
  flags: Record<string, unknown>;
  files?: object;
}

const workloads = WORKLOADS as Workload[];
const runs = new Map<string, Run>();

beforeAll(async () => {
  await initBackend({ force: 'cpu', quiet: true });
  for (const w of workloads) runs.set(w.id, await pytorchRun(w, { threads: 1, steps: w.pytorchSteps }));
});

/** genzoo's trainable parameters of a workload's network (running statistics and flags left out). */
async function genzooParameters(workload: Workload) {
  const { recipe } = await workloadRecipe(workload);
  const eventShape = recipe.dataset === 'moons' ? [2] : [28, 28, 1];
  const model = createModel(workload.model, recipe.config, { eventShape, seed: 0 });
  const variables = Object.values(model.variables());
  return variables.filter((v) => v.trainable).reduce((n, v) => n + v.size, 0);
}

/** The PyTorch script's parameter count from its --dry-run line (the GAN's: generator + discriminator). */
function pytorchParameters(line: { parameters: number | Record<string, number> }) {
  const { parameters } = line;
  return typeof parameters === 'number' ? parameters : Object.values(parameters).reduce((a, b) => a + b, 0);
}

describe('speed suite: PyTorch flags built from the workloads', () => {
  it('overrides only the budget: steps, warm-up, threads, the smallest evaluation, sampling when asked', () => {
    for (const w of workloads) {
      const { script, flags } = runs.get(w.id)!;
      expect(flags.threads, w.id).toBe(1);
      expect(flags['warmup-steps'], w.id).toBe(WARMUP_STEPS);
      const budget =
        script === 'pytorch_gan.py' || script === 'pytorch_flows.py' ? 'train-steps' : 'max-steps';
      expect(flags[budget], w.id).toBe(w.pytorchSteps);
      if (script !== 'pytorch_gan.py') expect(flags['eval-limit'], w.id).toBe(EVAL_LIMIT);
      if (script === 'pytorch_autoregressive.py')
        expect(flags['sample-count'], w.id).toBe(w.sampling ? SAMPLE_COUNT : 1);
    }
  });

  it("applies the workload's config overrides (DCGAN at the paper's widths)", () => {
    const { flags } = runs.get('dcgan')!;
    expect(flags['network-generator-channels']).toBe('128,64');
    expect(flags['network-discriminator-channels']).toBe('64,128');
    expect(flags['network-kind']).toBe('dcgan');
  });

  it('selects the conv VAE of vae/fashion-mnist-conv', () => {
    expect(runs.get('conv-vae')!.flags).toMatchObject({
      network: 'conv',
      channels: '32,64',
      'kernel-size': 3,
      hidden: '',
      latent: 16,
      batch: 128,
    });
    expect(runs.get('mlp-vae')!.flags).toMatchObject({ network: 'mlp', hidden: '512,256', latent: 20 });
  });
});

const TITLE = 'the reference scripts take the speed flags';
describe.skipIf(!hasTorch)(hasTorch ? TITLE : `${TITLE} (skipped: PyTorch is not installed)`, () => {
  it("accept every workload's flags and build its network with genzoo's parameter count", async () => {
    for (const w of workloads) {
      const { script, flags } = runs.get(w.id)!;
      const run = dryRun(script, flags);
      expect(run.status, `${w.id}: ${run.stderr}`).toBe(0);
      const line = JSON.parse(run.stdout.trim().split('\n').pop()!);
      expect(pytorchParameters(line), w.id).toBe(await genzooParameters(w));
    }
  });

  it("the conv VAE has genzoo's 191,265 parameters", async () => {
    const conv = workloads.find((w) => w.id === 'conv-vae')!;
    const line = JSON.parse(
      dryRun('pytorch_vae.py', runs.get('conv-vae')!.flags).stdout.trim().split('\n').pop()!,
    );
    expect(line.network).toBe('conv');
    expect(line.parameters).toBe(await genzooParameters(conv));
    expect(line.parameters).toBe(191265);
  });
});
