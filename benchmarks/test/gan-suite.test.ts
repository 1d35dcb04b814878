/**
 * The `gan` suite: one PyTorch reference entry per recipe, with flags built from the recipe's parsed
 * config (every leaf, nested keys joined), its step budget, batch and seed; the script accepts every
 * entry's flags (--dry-run, where PyTorch is installed); and the recipe rows carry the sample-quality
 * columns from each run's test metrics.
 */
import { listDatasets } from '@genzoo/datasets/node';
import { ganPlugin } from '@genzoo/gan';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { recipeEntries } from '../harness/recipes.mjs';
// @ts-expect-error plain ESM module without types
import { columns, configFlags, entries } from '../suites/gan.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

interface Entry {
  id: string;
  skip?: string;
  script?: string;
  args: {
    model: string;
    recipe: string;
    metric: string;
    dataset: string;
    n: number;
    flags: Record<string, unknown>;
  };
}

const REFERENCE = ['gan', 'dcgan', 'wgan', 'wgan-gp', 'cgan', 'stargan'];
/** StarGAN's reference is a script of its own (no noise, no `network`). */
const OWN_SCRIPT: Record<string, string> = { stargan: 'pytorch_stargan.py' };
const ganRecipes = ganPlugin.models.flatMap((definition) =>
  definition.reproduce.filter((r) => r.suite === 'gan').map((recipe) => ({ definition, recipe })),
);
const found = new Set(
  listDatasets()
    .filter((d) => d.source.found)
    .map((d) => d.name),
);
const byId = (list: Entry[]) => new Map(list.map((e) => [e.id, e]));

describe('gan suite: PyTorch references built from the genzoo recipes', () => {
  const full = byId(entries({ quick: false }));
  const quick = byId(entries({ quick: true }));

  it('has one pytorch/<model>/<recipe> entry per recipe, skipping those it does not implement with a reason', () => {
    expect([...full.keys()]).toEqual(
      ganRecipes.map(({ definition, recipe }) => `pytorch/${definition.name}/${recipe.name}`),
    );
    for (const { definition, recipe } of ganRecipes) {
      const entry = full.get(`pytorch/${definition.name}/${recipe.name}`)!;
      if (!found.has(recipe.dataset)) expect(entry.skip).toContain('is not on this machine');
      else if (!REFERENCE.includes(definition.name)) expect(entry.skip).toContain('implements gan, dcgan');
      else expect(entry.skip).toBeUndefined();
    }
    for (const column of ['classifier_fd', 'classifier_kid', 'precision', 'recall', 'cas', 'modes_covered'])
      expect(columns).toContain(column);
  });

  it("passes every leaf of the recipe's parsed config, its steps (quick steps), batch, seed and n", () => {
    const runnable = ganRecipes.filter(
      ({ definition, recipe }) => REFERENCE.includes(definition.name) && found.has(recipe.dataset),
    );
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    for (const { definition, recipe } of runnable) {
      const id = `pytorch/${definition.name}/${recipe.name}`;
      const entry = full.get(id)!;
      const { flags } = entry.args;
      expect(entry.script).toBe(
        OWN_SCRIPT[definition.name] ? 'reference/pytorch-stargan.mjs' : 'reference/pytorch-gan.mjs',
      );
      expect(flags.model).toBe(definition.name);
      const config = definition.configSchema.parse(recipe.config) as { optimizers: { generator: object } };
      expect(flags['optimizers-generator-learning-rate'], id).toBe(
        (config.optimizers.generator as { learningRate: number }).learningRate,
      );
      if (!OWN_SCRIPT[definition.name]) {
        expect(flags['network-kind'], id).toBeDefined();
        expect(flags['latent-dim'], id).toBeDefined();
      }
      expect(flags['train-steps'], id).toBe(recipe.train.steps);
      expect(quick.get(id)!.args.flags['train-steps'], id).toBe(recipe.quick?.train?.steps);
      expect(flags.batch, id).toBe(recipe.train.batchSize);
      expect(flags.seed).toBe(0);
      expect(flags.threads).toBe(1);
      expect(entry.args.n).toBe((recipe.evaluation as { score: { n: number } }).score.n);
      expect(entry.args.metric).toBe(recipe.metric);
    }
  });

  it('flattens nested config keys into kebab-case flags, lists joined, booleans as 0/1', () => {
    expect(
      configFlags({
        latentDim: 8,
        network: { kind: 'dcgan', generatorChannels: [64, 32], discriminatorBatchNorm: false },
      }),
    ).toEqual({
      'latent-dim': 8,
      'network-kind': 'dcgan',
      'network-generator-channels': '64,32',
      'network-discriminator-batch-norm': 0,
    });
  });
});

describe.skipIf(!hasTorch)('pytorch_gan.py (and pytorch_stargan.py) take the flags the suite builds', () => {
  const built = entries({ quick: true }).filter((e: Entry) => !e.skip) as Entry[];

  it('accepts every entry and builds its model', () => {
    expect(built.length).toBeGreaterThan(0);
    for (const entry of built) {
      const run = dryRun(OWN_SCRIPT[entry.args.model] ?? 'pytorch_gan.py', entry.args.flags);
      expect(run.status, `${entry.id}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout.trim().split('\n').pop()!).ok, entry.id).toBe(true);
    }
  });

  it('fails on a config key it does not implement', () => {
    const dcgan = built.find((e) => e.id === 'pytorch/dcgan/fashion-mnist') ?? built[0];
    const unknown = dryRun('pytorch_gan.py', dcgan.args.flags, ['--dropout', '0.1']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unrecognized arguments: --dropout');
  });
});

describe('recipe rows of the gan suite', () => {
  it('carry the sample-quality metrics the suite lists from the run summary', () => {
    const registry = {
      listModels: () => [{ name: 'm' }],
      get: () => ({
        definition: {
          name: 'm',
          reproduce: [
            { name: 'r', suite: 'gan', dataset: 'd', metric: 'classifier_fd', train: { steps: 10 } },
          ],
        },
      }),
    };
    const [entry] = recipeEntries(
      registry,
      false,
      () => ({ found: true }),
      () => columns,
    ).get('gan');
    const [row] = entry.toRows({
      dataset: 'd',
      test: { classifier_fd: 12.5, precision: 0.7, recall: 0.4, cas: 0.8, unlisted: 1 },
      seconds: 10,
      steps: 10,
    });
    expect(row).toMatchObject({ value: 12.5, classifier_fd: 12.5, precision: 0.7, recall: 0.4, cas: 0.8 });
    expect(row.unlisted).toBeUndefined();
    expect(row.steps_per_second).toBe(1);
  });
});
