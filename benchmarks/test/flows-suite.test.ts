import { listDatasets } from '@genzoo/datasets/node';
import { flowsPlugin } from '@genzoo/flows';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { recipeEntries } from '../harness/recipes.mjs';
// @ts-expect-error plain ESM module without types
import { columns, configFlags, entries, referenceEntry } from '../suites/flows.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

interface Entry {
  id: string;
  skip?: string;
  args: {
    script: string;
    testSet: {
      dataset: string;
      options: Record<string, unknown>;
      format: string;
      seed: number;
      train: boolean;
    };
    args: Record<string, unknown>;
  };
  toRows: (row: object) => object[];
}

const TOY = ['moons', '8gaussians', 'checkerboard'];
const flowRecipes = flowsPlugin.models.flatMap((definition) =>
  definition.reproduce.filter((r) => r.suite === 'flows').map((recipe) => ({ definition, recipe })),
);
const fashionFound = listDatasets().find((d) => d.name === 'fashion-mnist')?.source.found ?? false;
const byId = (list: Entry[]) => new Map(list.map((e) => [e.id, e]));
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const flagValue = (value: unknown) =>
  Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? +value : value;

describe('flows suite: PyTorch references built from the genzoo recipes', () => {
  const full = byId(entries({ quick: false }));
  const quick = byId(entries({ quick: true }));
  /** The recipes the reference runs here (2-D sets; Fashion-MNIST when it is on this machine). */
  const runnable = flowRecipes.filter(
    ({ recipe }) => TOY.includes(recipe.dataset) || (recipe.dataset === 'fashion-mnist' && fashionFound),
  );

  it('has one pytorch/<model>/<recipe> entry per recipe of the suite', () => {
    expect([...full.keys()]).toEqual(
      flowRecipes.map(({ definition, recipe }) => `pytorch/${definition.name}/${recipe.name}`),
    );
    for (const id of [
      'pytorch/nice/moons',
      'pytorch/realnvp/checkerboard',
      'pytorch/realnvp/fashion-mnist',
      'pytorch/glow/fashion-mnist',
      'pytorch/maf/8gaussians',
      'pytorch/iaf/moons',
    ]) {
      expect(full.has(id), id).toBe(true);
    }
    expect(columns).toContain('steps_per_second');
  });

  it("passes the recipe's whole config, steps (quick steps), batch, learning rate, seed and data", () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    for (const { definition, recipe } of runnable) {
      const id = `pytorch/${definition.name}/${recipe.name}`;
      const entry = full.get(id) as Entry;
      expect(entry.skip, id).toBeUndefined();
      expect(entry.args.script).toBe('pytorch_flows.py');
      const flags = entry.args.args;
      expect(flags.recipe).toBe(`${definition.name}/${recipe.name}`);
      expect(flags.dataset).toBe(recipe.dataset);
      // Every key of the config as the schema completes it reaches the script, with its value.
      const config = definition.configSchema.parse(recipe.config) as Record<string, unknown>;
      for (const [key, value] of Object.entries(config)) {
        expect(flags[kebab(key)], `${id} --${kebab(key)}`).toEqual(flagValue(value));
      }
      for (const [key, value] of Object.entries(recipe.config)) {
        expect(flags[kebab(key)], `${id} --${kebab(key)} (set by the recipe)`).toEqual(flagValue(value));
      }
      expect(flags['train-steps'], id).toBe(recipe.train.steps);
      expect((quick.get(id) as Entry).args.args['train-steps'], id).toBe(recipe.quick?.train?.steps);
      expect(flags.batch, id).toBe(recipe.train.batchSize);
      expect(flags.lr, id).toBe(recipe.train.optimizer?.learningRate);
      expect(flags.seed).toBe(0);
      expect(flags.threads).toBe(1);
      expect(flags.metric).toBe(recipe.metric);
      const toy = TOY.includes(recipe.dataset);
      expect(flags.data, id).toBe(toy ? 'continuous' : 'dequantized');
      expect(flags['data-dir'] !== undefined, id).toBe(!toy);
      // Trained on genzoo's own training points (2-D sets), scored on its own test split as it evaluates it.
      expect(entry.args.testSet).toEqual({
        dataset: recipe.dataset,
        options: recipe.datasetOptions,
        format: 'f32',
        seed: 0,
        train: toy,
      });
      expect(entry.toRows({ nll_nats: 1 })).toEqual([{ nll_nats: 1 }]);
    }
  });

  it('explains every skipped entry', () => {
    for (const { definition, recipe } of flowRecipes) {
      const id = `pytorch/${definition.name}/${recipe.name}`;
      const entry = full.get(id) as Entry;
      if (recipe.dataset === 'fashion-mnist' && !fashionFound) {
        expect(entry.skip, id).toContain('fashion-mnist is not on this machine');
      } else if (!TOY.includes(recipe.dataset) && recipe.dataset !== 'fashion-mnist') {
        expect(entry.skip, id).toContain(`does not implement dataset ${recipe.dataset}`);
      }
    }
    expect(full.get('pytorch/glow/mnist-10k')?.skip).toContain('does not implement dataset mnist-10k');
  });

  it('skips a recipe whose training or data the reference does not implement, saying why', () => {
    const realnvp = flowsPlugin.models.find((d) => d.name === 'realnvp')!;
    const [moons] = realnvp.reproduce;
    const image = realnvp.reproduce.find((r) => r.dataset === 'fashion-mnist')!;
    const skip = (recipe: object) => referenceEntry(realnvp, recipe, { quick: false }).skip;
    expect(skip({ ...moons, train: { epochs: 2 } })).toContain('does not implement an epoch budget');
    expect(skip({ ...moons, train: { steps: 9, optimizer: { name: 'sgd', learningRate: 0.1 } } })).toContain(
      'does not implement optimizer sgd',
    );
    expect(
      skip({ ...moons, train: { ...moons.train, schedule: { kind: 'cosine', totalSteps: 9 } } }),
    ).toContain('a cosine schedule');
    expect(skip({ ...moons, train: { ...moons.train, clipNorm: 1 } })).toContain('gradient clipping');
    expect(skip({ ...image, datasetOptions: { dequantize: true, range: [-1, 1] } })).toContain(
      'does not implement dataset options',
    );
    expect(skip({ ...image, datasetOptions: {} })).toContain('does not implement dataset options');
  });

  it('turns a config into flags: kebab-case keys, lists joined, booleans as 0/1', () => {
    const realnvp = flowsPlugin.models.find((d) => d.name === 'realnvp')!;
    expect(configFlags(realnvp.configSchema.parse({ couplingsPerScale: 2, actnorm: true }))).toMatchObject({
      'couplings-per-scale': 2,
      'final-couplings': 4,
      hidden: '128,128',
      actnorm: 1,
      scale: 'tanh',
      'logit-alpha': 0.05,
    });
    const glow = flowsPlugin.models.find((d) => d.name === 'glow')!;
    expect(configFlags(glow.configSchema.parse({}))).toMatchObject({
      steps: 8,
      conv1x1: 'lu',
      prior: 'learned',
    });
  });
});

describe.skipIf(!hasTorch)('pytorch_flows.py takes the flags the suite builds', () => {
  const built = entries({ quick: true }).filter((e: Entry) => !e.skip) as Entry[];

  it('accepts every entry and builds its model', () => {
    expect(built.length).toBeGreaterThan(0);
    for (const entry of built) {
      const run = dryRun('pytorch_flows.py', entry.args.args);
      expect(run.status, `${entry.id}: ${run.stderr}`).toBe(0);
      const row = JSON.parse(run.stdout.trim());
      expect(row.parameters, entry.id).toBeGreaterThan(0);
    }
  });

  it('fails on a config key it does not implement, or one of another model', () => {
    const maf = built.find((e) => e.id === 'pytorch/maf/moons')!;
    const unknown = dryRun('pytorch_flows.py', maf.args.args, ['--dropout', '0.1']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unrecognized arguments: --dropout');
    const other = dryRun('pytorch_flows.py', maf.args.args, ['--levels', '3']);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain('--levels is not a maf config key');
  });
});

describe('recipe rows of the flows suite', () => {
  const registry = {
    listModels: () => [{ name: 'm' }],
    get: () => ({
      definition: {
        name: 'm',
        reproduce: [
          { name: 'r', suite: 'flows', metric: 'nll_nats', train: { steps: 1000 } },
          { name: 'r', suite: 'other', metric: 'nll_nats', train: { steps: 1000 } },
        ],
      },
    }),
  };
  const summary = { dataset: 'd', test: { nll_nats: 1 }, steps: 1000, seconds: 20, backend: 'wasm' };
  const suiteColumns = (suite: string) => (suite === 'flows' ? columns : []);

  it('carry steps/s (steps / seconds) where the suite lists the column, and only there', () => {
    const suites = recipeEntries(registry, true, () => ({ found: true }), suiteColumns);
    const [flows] = suites.get('flows')[0].toRows(summary);
    expect(flows.steps_per_second).toBe(50);
    const [other] = suites.get('other')[0].toRows(summary);
    expect(Object.hasOwn(other, 'steps_per_second')).toBe(false);
    const [unlisted] = recipeEntries(registry, true).get('flows')[0].toRows(summary);
    expect(Object.hasOwn(unlisted, 'steps_per_second')).toBe(false);
  });
});
