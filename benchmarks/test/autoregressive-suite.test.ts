import { autoregressivePlugin } from '@genzoo/autoregressive';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { recipeEntries } from '../harness/recipes.mjs';
// @ts-expect-error plain ESM module without types
import * as suite from '../suites/autoregressive.mjs';
import { dryRun, hasTorch } from './reference-dry-run.js';

const { COMPARED, configFlags, entries, referenceEntry, SEEDS, summarize } = suite;

interface Entry {
  id: string;
  skip?: string;
  args: {
    script: string;
    testSet: { dataset: string; options: Record<string, unknown>; labels: boolean };
    args: Record<string, unknown>;
  };
  toRows: (row: object) => object[];
}

const fashionRecipes = autoregressivePlugin.models.flatMap((definition) =>
  definition.reproduce
    .filter((r) => r.suite === 'autoregressive' && r.dataset === 'fashion-mnist')
    .map((recipe) => ({ definition, recipe })),
);
const byId = (list: Entry[]) => new Map(list.map((e) => [e.id, e]));

describe('autoregressive suite: PyTorch references built from the genzoo recipes', () => {
  const full = byId(entries({ quick: false }));
  const quick = byId(entries({ quick: true }));

  it('has one pytorch/<model>/<recipe> entry per Fashion-MNIST recipe', () => {
    expect([...full.keys()].filter((id) => id.startsWith('pytorch/'))).toEqual(
      fashionRecipes.map(({ definition, recipe }) => `pytorch/${definition.name}/${recipe.name}`),
    );
    for (const id of [
      'pytorch/nade/fashion-mnist',
      'pytorch/made/fashion-mnist',
      'pytorch/made/fashion-mnist-8-masks',
      'pytorch/pixelcnn/fashion-mnist',
      'pytorch/pixelcnn/fashion-mnist-8bit-softmax',
      'pytorch/pixelcnn/fashion-mnist-8bit-logistic',
      'pytorch/gated-pixelcnn/fashion-mnist',
      'pytorch/gated-pixelcnn/fashion-mnist-conditional',
      'pytorch/multiscale-pixelcnn/fashion-mnist',
    ]) {
      expect(full.has(id), id).toBe(true);
    }
  });

  it("passes the recipe's config, batch, learning rate, data protocol and (quick) epochs", () => {
    for (const { definition, recipe } of fashionRecipes) {
      const id = `pytorch/${definition.name}/${recipe.name}`;
      const entry = full.get(id) as Entry;
      expect(entry.skip, id).toBeUndefined();
      expect(entry.args.script).toBe('pytorch_autoregressive.py');
      const flags = entry.args.args;
      expect(flags.recipe).toBe(`${definition.name}/${recipe.name}`);
      // Every key the recipe sets reaches the script, with the recipe's value.
      const config = recipe.config as Record<string, unknown>;
      for (const [key, value] of Object.entries(config)) {
        if (key === 'head') continue;
        const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        const expected = Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? +value : value;
        expect(flags[flag], `${id} --${flag}`).toEqual(expected);
      }
      // The head as the schema completes it (NADE has none: it is Bernoulli by construction).
      const head = (definition.configSchema.parse(config) as { head?: Record<string, unknown> }).head;
      expect(flags.head, id).toBe(head?.kind);
      if (head?.kind === 'categorical') expect(flags.categories).toBe(head.categories);
      if (head?.kind === 'logistic-mixture') expect(flags.components).toBe(head.components);
      expect(flags.batch, id).toBe(recipe.train.batchSize ?? 128);
      expect(flags.lr, id).toBe(recipe.train.optimizer?.learningRate);
      expect(flags.threads).toBe(1);
      expect(flags.metric).toBe(recipe.metric);
      expect(flags.epochs, id).toBe(recipe.train.epochs);
      expect((quick.get(id) as Entry).args.args.epochs, id).toBe(recipe.quick?.train?.epochs);
      const binarized = recipe.datasetOptions?.binarize === 'dynamic';
      expect(flags.data, id).toBe(binarized ? 'binarized' : '8bit');
      // Scored on genzoo's own test split of the same dataset and options.
      expect(entry.args.testSet).toEqual({
        dataset: 'fashion-mnist',
        options: recipe.datasetOptions ?? {},
        labels: config.conditional === true,
      });
      expect(entry.toRows({ nll_nats: 1 })).toEqual([{ nll_nats: 1 }]);
    }
  });

  it('fills in schema defaults and flattens the head', () => {
    const made = autoregressivePlugin.models.find((d) => d.name === 'made')!;
    const flags = configFlags(made.configSchema.parse({ hidden: [500, 300], masks: 8 }));
    expect(flags).toMatchObject({
      hidden: '500,300',
      masks: 8,
      ordering: 'natural',
      'hidden-degrees': 'random',
      activation: 'relu',
      head: 'bernoulli',
      conditional: 0,
    });
    expect(configFlags({ head: { kind: 'logistic-mixture', components: 10, levels: 256 } })).toEqual({
      head: 'logistic-mixture',
      components: 10,
      levels: 256,
    });
  });

  it('skips a recipe whose training the reference does not implement, saying why', () => {
    const nade = autoregressivePlugin.models.find((d) => d.name === 'nade')!;
    const recipe = {
      ...nade.reproduce[0],
      train: { epochs: 1, optimizer: { name: 'sgd' as const, learningRate: 0.1 } },
    };
    const entry = referenceEntry(nade, recipe, { quick: false });
    expect(entry.skip).toContain('does not implement optimizer sgd');
  });
});

describe.skipIf(!hasTorch)('pytorch_autoregressive.py takes the flags the suite builds', () => {
  const built = (entries({ quick: true }) as Entry[]).filter((e) => e.id.startsWith('pytorch/') && !e.skip);

  it('accepts every entry and builds its model', () => {
    expect(built.length).toBe(fashionRecipes.length);
    for (const entry of built) {
      const run = dryRun('pytorch_autoregressive.py', entry.args.args);
      expect(run.status, `${entry.id}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout.trim()).parameters, entry.id).toBeGreaterThan(0);
    }
  });

  it('fails on a config key it does not implement, and on a map-conditioned Gated PixelCNN', () => {
    const gated = built.find((e) => e.id === 'pytorch/gated-pixelcnn/fashion-mnist')!;
    const unknown = dryRun('pytorch_autoregressive.py', gated.args.args, ['--dropout', '0.1']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unrecognized arguments: --dropout');
    const map = dryRun('pytorch_autoregressive.py', { ...gated.args.args, 'map-channels': 4 });
    expect(map.status).not.toBe(0);
    expect(map.stderr).toContain('--map-channels');
  });
});

describe('autoregressive suite: the mnist-10k comparison across seeds', () => {
  it('runs every compared recipe at every seed when asked, seeded, into its own folder', () => {
    const seeded = entries({ quick: true }).filter((e: { id: string }) => e.id.startsWith('seed-'));
    expect(seeded.map((e: { id: string }) => e.id)).toEqual(
      COMPARED.flatMap((id: string) => SEEDS.map((seed: number) => `seed-${seed}/${id}`)),
    );
    for (const entry of seeded) {
      const seed = entry.id.split('/')[0].slice('seed-'.length);
      expect(entry.whenAsked, entry.id).toBe(true);
      expect(entry.command.join(' '), entry.id).toContain(`--seed ${seed} `.trimEnd());
      expect(entry.command.join(' '), entry.id).toContain(`--quick`);
      expect(entry.command, entry.id).toContain(`benchmarks/.work/autoregressive/${entry.id}`);
    }
  });

  it('summarizes each compared recipe over its recipe row (seed 0) and its seed rows', () => {
    const row = (id: string, seed: number | undefined, nll: number) => ({
      id,
      ...(seed === undefined ? {} : { seed }),
      nll_nats: nll,
      examples_per_second: 10,
      sampling_images_per_second: 2,
    });
    const summary = summarize([
      row('pixelcnn/mnist-10k', undefined, 100),
      row('seed-1/pixelcnn/mnist-10k', 1, 102),
      row('seed-2/pixelcnn/mnist-10k', 2, 104),
      row('multiscale-pixelcnn/mnist-10k', undefined, 98),
      row('pytorch/pixelcnn/fashion-mnist', undefined, 1),
    ]);
    // The multiscale model has one seed only: no spread to give.
    expect(summary.rows).toHaveLength(1);
    expect(summary.rows[0]).toMatchObject({
      recipe: 'pixelcnn/mnist-10k',
      seeds: '0, 1, 2',
      nll_nats_mean: 102,
      nll_nats_sd: 2,
    });
    expect(summarize([row('pixelcnn/mnist-10k', undefined, 100)])).toBeUndefined();
  });
});

describe('recipe rows', () => {
  const registry = {
    listModels: () => [{ name: 'm' }],
    get: () => ({
      definition: {
        name: 'm',
        reproduce: [
          {
            name: 'r',
            suite: 's',
            metric: 'nll_nats',
            train: { epochs: 2 },
            quick: { train: { epochs: 0.5 } },
          },
        ],
      },
    }),
  };
  const summary = { dataset: 'd', test: { nll_nats: 1 }, examples_per_second: 5, backend: 'wasm' };

  it('carry sampling images/s when the summary has it, and the epochs trained', () => {
    const [entry] = recipeEntries(registry, true).get('s');
    const [row] = entry.toRows({ ...summary, sampling: { images: 64, seconds: 2, images_per_second: 32 } });
    expect(row).toMatchObject({ sampling_images_per_second: 32, epochs: 0.5 });
    const [old] = entry.toRows(summary);
    expect(old.sampling_images_per_second).toBeUndefined();
    const [fullRow] = recipeEntries(registry, false).get('s')[0].toRows(summary);
    expect(fullRow.epochs).toBe(2);
  });
});
