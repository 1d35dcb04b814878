/**
 * The `vq-vae` suite: one PyTorch reference entry per second-stage recipe of a VQ-VAE or a VQ-VAE-2, with
 * both stages' flags built from the recipes' parsed configs (every leaf; the prior network's as `prior-…`,
 * the VQ-VAE-2 priors' as `top-prior-…` and `bottom-prior-…`), each stage's steps (quick steps under
 * --quick), batch and learning rate; each script accepts every entry's flags (--dry-run, where PyTorch is
 * installed); and second stages run after the first stages they start from.
 */
import { gatedPixelcnnDefinition } from '@genzoo/autoregressive';
import { listDatasets } from '@genzoo/datasets/node';
import { vqVae2ConfigSchema, vqVaeConfigSchema, vqVaePlugin } from '@genzoo/vq-vae';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { recipeEntries } from '../harness/recipes.mjs';
// @ts-expect-error plain ESM module without types
import { flattenedFlags } from '../reference/flags.mjs';
// @ts-expect-error plain ESM module without types
import { columns, entries } from '../suites/vq-vae.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

interface Entry {
  id: string;
  skip?: string;
  script?: string;
  args: {
    script: string;
    recipe: string;
    reportFirstStage: boolean;
    vqRecipe: string;
    dataset: string;
    datasetOptions: Record<string, unknown>;
    n: number;
    limit?: number;
    flags: Record<string, unknown>;
  };
}

/** The second-stage recipes of the suite that start from a recipe of `firstStage`. */
const stagedOn = (firstStage: string) =>
  vqVaePlugin.models.flatMap((definition) =>
    definition.reproduce
      .filter((r) => r.suite === 'vq-vae' && r.startsFrom?.recipe.startsWith(`${firstStage}/`))
      .map((recipe) => ({ definition, recipe })),
  );
const staged = stagedOn('vq-vae');
const staged2 = stagedOn('vq-vae-2');
const firstStage = (model: string, name: string) =>
  vqVaePlugin.models.find((d) => d.name === model)!.reproduce.find((r) => r.name === name)!;
const found = new Set(
  listDatasets()
    .filter((d) => d.source.found)
    .map((d) => d.name),
);
const byId = (list: Entry[]) => new Map(list.map((e) => [e.id, e]));

describe('vq-vae suite: PyTorch references of both stages, built from the genzoo recipes', () => {
  const full = byId(entries({ quick: false }));
  const quick = byId(entries({ quick: true }));

  it('has one entry per second stage of a vq-vae, and the columns of both stages', () => {
    expect(staged.length).toBeGreaterThanOrEqual(3);
    for (const { definition, recipe } of staged) {
      const entry = full.get(`pytorch/${definition.name}/${recipe.name}`)!;
      if (!found.has(recipe.dataset)) expect(entry.skip).toContain('is not on this machine');
      else expect(entry.skip).toBeUndefined();
    }
    for (const column of ['recon_mse', 'perplexity', 'prior_nll_nats', 'classifier_fd', 'cas'])
      expect(columns).toContain(column);
    for (const column of ['recon_mse_top_only', 'perplexity_top', 'perplexity_bottom', 'top_prior_nll_nats'])
      expect(columns).toContain(column);
  });

  it("passes both stages' parsed configs, steps (quick steps), batches and the evaluation's n and limit", () => {
    const entry = full.get('pytorch/vq-vae-prior/mnist-10k-conditional')!;
    const quickEntry = quick.get('pytorch/vq-vae-prior/mnist-10k-conditional')!;
    const vqRecipe = firstStage('vq-vae', 'mnist-10k');
    const prior = staged.find(({ recipe }) => recipe.name === 'mnist-10k-conditional')!.recipe;
    const vqConfig = vqVaeConfigSchema.parse(vqRecipe.config);
    expect(entry.args.vqRecipe).toBe('vq-vae/mnist-10k');
    expect(entry.args.script).toBe('pytorch_vqvae.py');
    expect(entry.args.datasetOptions).toEqual({ dequantize: true });
    expect(entry.args.flags).toMatchObject({
      'codebook-size': vqConfig.codebookSize,
      'code-dim': vqConfig.codeDim,
      hidden: vqConfig.hidden.join(','),
      'codebook-update': vqConfig.codebook.update,
      'decoder-kind': 'gaussian',
      'decoder-variance': 0.01,
      'vq-steps': vqRecipe.train.steps,
      'prior-steps': prior.train.steps,
      'prior-conditional': 1,
      network: 'gated-pixelcnn',
    });
    // The prior network's schema completes its config: every key is a flag (the head is the prior's own).
    const network = gatedPixelcnnDefinition.configSchema.parse({
      ...(prior.config.prior as object),
      head: { kind: 'categorical', categories: 64, values: 'index' },
    }) as Record<string, unknown>;
    for (const key of Object.keys(network).filter((k) => k !== 'head')) {
      expect(Object.keys(entry.args.flags)).toContain(
        `prior-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      );
    }
    expect(quickEntry.args.flags['vq-steps']).toBe(vqRecipe.quick?.train?.steps);
    expect(quickEntry.args.flags['prior-steps']).toBe(prior.quick?.train?.steps);
    expect(entry.args.n).toBe(prior.evaluation?.score?.n);
  });

  it('has a vq-vae-2-prior entry per recipe, on pytorch_vqvae2.py, reporting each VQ-VAE-2 once', () => {
    expect(staged2.length).toBeGreaterThanOrEqual(2);
    for (const { definition, recipe } of staged2) {
      const entry = full.get(`pytorch/${definition.name}/${recipe.name}`)!;
      if (!found.has(recipe.dataset)) {
        expect(entry.skip).toContain('is not on this machine');
        continue;
      }
      expect(entry.skip).toBeUndefined();
      expect(entry.args.script).toBe('pytorch_vqvae2.py');
      expect(entry.args.vqRecipe).toBe(recipe.startsFrom!.recipe);
      expect(entry.args.reportFirstStage).toBe(true);
      // These recipes score no samples, so neither does the reference.
      expect(recipe.evaluation?.score).toBeUndefined();
      expect(entry.args.n).toBeUndefined();
    }
  });

  it("passes the VQ-VAE-2's parsed config and both priors' completed configs as flags, with quick steps", () => {
    const { recipe: prior } = staged2.find(({ recipe }) => recipe.name === 'mnist-10k')!;
    const vqRecipe = firstStage('vq-vae-2', 'mnist-10k');
    const entry = full.get('pytorch/vq-vae-2-prior/mnist-10k')!;
    const quickEntry = quick.get('pytorch/vq-vae-2-prior/mnist-10k')!;
    const vqConfig = vqVae2ConfigSchema.parse(vqRecipe.config);
    // Every leaf of the first stage's config, as the script's flag.
    expect(entry.args.flags).toMatchObject(flattenedFlags(vqConfig));
    expect(entry.args.flags).toMatchObject({
      'codebook-size-top': vqConfig.codebookSize.top,
      'codebook-size-bottom': vqConfig.codebookSize.bottom,
      'top-hidden': vqConfig.topHidden.join(','),
      'top-only-weight': vqConfig.topOnlyWeight,
      conditional: 0,
      'top-prior-map-channels': 0,
      'bottom-prior-map-channels': vqConfig.codeDim,
    });
    // Each prior's Gated PixelCNN config as the model completes it: every key but the head is a flag.
    const { top, bottom } = prior.config as Record<string, Record<string, unknown>>;
    for (const [level, config] of Object.entries({ top, bottom })) {
      const network = gatedPixelcnnDefinition.configSchema.parse({
        ...config,
        head: { kind: 'categorical', categories: 64, values: 'index' },
      }) as Record<string, unknown>;
      for (const key of Object.keys(network).filter((k) => k !== 'head' && k !== 'mapChannels')) {
        const flag = `${level}-prior-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        expect(entry.args.flags[flag], flag).toBe(
          typeof network[key] === 'boolean' ? Number(network[key]) : network[key],
        );
      }
    }
    expect(entry.args.flags['vq-steps']).toBe(vqRecipe.train.steps);
    expect(entry.args.flags['prior-steps']).toBe(prior.train.steps);
    expect(quickEntry.args.flags['vq-steps']).toBe(vqRecipe.quick?.train?.steps);
    expect(quickEntry.args.flags['prior-steps']).toBe(prior.quick?.train?.steps);
    expect(quickEntry.args.limit).toBe(prior.quick?.evaluation?.limit);
  });

  it('runs each second stage after the first-stage recipe it starts from, on its run folder', () => {
    const suite = recipeEntries({
      listModels: () => vqVaePlugin.models.map((d) => ({ name: d.name })),
      get: (name: string) => ({ definition: vqVaePlugin.models.find((d) => d.name === name) }),
    }).get('vq-vae') as { id: string; command?: string[] }[];
    const ids = suite.map((e) => e.id);
    for (const { definition, recipe } of [...staged, ...staged2]) {
      const at = ids.indexOf(`${definition.name}/${recipe.name}`);
      expect(at).toBeGreaterThan(ids.indexOf(recipe.startsFrom!.recipe));
      expect(suite[at].command).toContain(`vqvae=benchmarks/.work/vq-vae/${recipe.startsFrom!.recipe}`);
    }
  });

  it("twins each first stage that has a reference: from the suite's genzoo run of it, with the reference's flags", () => {
    const suite = recipeEntries({
      listModels: () => vqVaePlugin.models.map((d) => ({ name: d.name })),
      get: (name: string) => ({ definition: vqVaePlugin.models.find((d) => d.name === name) }),
    }).get('vq-vae') as { id: string; command?: string[] }[];
    const firstStages = new Set([...staged, ...staged2].map(({ recipe }) => recipe.startsFrom!.recipe));
    expect(firstStages.size).toBeGreaterThanOrEqual(4);
    for (const id of firstStages) {
      const [model, name] = id.split('/');
      if (!found.has(firstStage(model, name).dataset)) continue;
      for (const [list, isQuick] of [
        [full, false],
        [quick, true],
      ] as const) {
        const twin = list.get(`pytorch-twin/${id}`)!;
        const reference = [...list.values()].find((e) => e.args?.reportFirstStage && e.args.vqRecipe === id)!;
        expect(twin.script).toBe('reference/pytorch-vqvae-twin.mjs');
        expect(twin.args).toEqual({
          recipe: id,
          quick: isQuick,
          genzooRun: `benchmarks/.work/vq-vae/${id}`,
          out: `benchmarks/.work/vq-vae/pytorch-twin/${id}`,
          flags: reference.args.flags,
        });
      }
      // That folder is where the suite's genzoo run of the recipe trains.
      const run = suite.find((e) => e.id === id)!;
      expect(run.command![run.command!.indexOf('--out') + 1]).toBe(`benchmarks/.work/vq-vae/${id}`);
    }
  });

  it.skipIf(!hasTorch)('the reference scripts accept every two-stage entry of the suite (--dry-run)', () => {
    for (const entry of [...full.values(), ...quick.values()]) {
      if (entry.skip || entry.script !== 'reference/pytorch-vqvae.mjs') continue;
      const run = dryRun(entry.args.script, {
        ...entry.args.flags,
        'train-file': '-',
        'test-file': '-',
      });
      expect(run.stderr).not.toContain('error:');
      expect(run.status, `${entry.id}: ${run.stderr}`).toBe(0);
    }
  });
});
