/** resolveRecipe merges recipe → quick → run file → assignments → overrides in that order; runRecipe trains it. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { parseRunFile, resolveRecipe, runRecipe, setPath } from '../src/recipes/index.js';
import { defineModel, type ModelDefinition, type ReproduceRecipe } from '../src/registry/plugin.js';
import { PluginRegistry } from '../src/registry/registry.js';
import {
  ArrayDataset,
  gaussianData,
  ToyGan,
  toyGanConfigSchema,
  toyPlugin,
  useCpu,
} from './trainer-fixtures.js';

const recipes: ReproduceRecipe[] = [
  {
    name: 'blobs',
    suite: 'test',
    dataset: 'blobs',
    datasetOptions: { scale: 2, flatten: true },
    config: { hidden: 16, latent: 3 },
    train: { steps: 100, batchSize: 32, seed: 5, optimizer: { name: 'adam', learningRate: 0.01 } },
    evaluation: { limit: 500, samples: 50 },
    metric: 'loss',
    quick: { train: { steps: 4 }, evaluation: { limit: 20 }, datasetOptions: { scale: 3 } },
  },
  {
    name: 'rings',
    suite: 'test',
    dataset: 'rings',
    config: { hidden: 4 },
    train: { epochs: 2, batchSize: 8 },
    metric: 'loss',
  },
];

/** toy-gan with an optimizer of its own for every gradient player. */
function ownOptimizers(): ModelDefinition {
  return defineModel({
    name: 'toy-gan-own',
    family: 'test',
    description: 'toy-gan, every player with its own optimizer',
    likelihood: 'none',
    configSchema: toyGanConfigSchema,
    create: (config, context) => {
      const gan = new ToyGan(config, context);
      const plan = gan.trainingPlan.bind(gan);
      gan.trainingPlan = () => {
        const base = plan();
        return {
          ...base,
          players: base.players.map((player) =>
            player.kind === 'gradient'
              ? { ...player, optimizer: player.optimizer ?? { name: 'sgd', learningRate: 0.1, momentum: 0 } }
              : player,
          ),
        };
      };
      return gan;
    },
    reproduce: [],
  });
}

function registry(): PluginRegistry {
  const plugin = toyPlugin();
  plugin.models = [
    ...plugin.models.map((m) => (m.name === 'toy-ae' ? { ...m, reproduce: recipes } : m)),
    ownOptimizers(),
  ];
  const r = new PluginRegistry();
  r.register(plugin);
  return r;
}

beforeAll(useCpu);

describe('resolveRecipe', () => {
  it("starts from the model's recipe for the dataset, and applies quick only when asked", () => {
    const full = resolveRecipe({ model: 'toy-ae', dataset: 'blobs' }, registry());
    expect(full.recipe?.name).toBe('blobs');
    expect(full.train).toMatchObject({ steps: 100, batchSize: 32, seed: 5 });
    expect(full.datasetOptions).toEqual({ scale: 2, flatten: true });
    expect(full.evaluation).toMatchObject({ limit: 500, samples: 50 });
    const quick = resolveRecipe({ model: 'toy-ae', recipe: 'blobs', quick: true }, registry());
    expect(quick.dataset).toBe('blobs');
    expect(quick.train.steps).toBe(4);
    expect(quick.datasetOptions).toEqual({ scale: 3, flatten: true });
    expect(quick.evaluation).toMatchObject({ limit: 20, samples: 50 });
  });

  it('lets the run file, then assignments, then single overrides win, in that order', () => {
    const resolved = resolveRecipe(
      {
        model: 'toy-ae',
        recipe: 'blobs',
        file: parseRunFile(
          {
            config: { hidden: 8 },
            train: { batchSize: 16 },
            datasetOptions: { scale: 9 },
            evaluation: { limit: 7 },
          },
          'run.json',
        ),
        set: [
          { path: ['latent'], value: 2 },
          { path: ['train', 'batchSize'], value: 12 },
          { path: ['data', 'flatten'], value: false },
        ],
        epochs: 3,
        seed: 11,
        learningRate: 0.5,
        evaluation: { samples: 9 },
      },
      registry(),
    );
    expect(resolved.config).toEqual({ hidden: 8, latent: 2 });
    expect(resolved.train).toMatchObject({ epochs: 3, batchSize: 12, seed: 11 });
    expect(resolved.train.steps).toBeUndefined();
    expect(resolved.train.optimizer).toMatchObject({ name: 'adam', learningRate: 0.5 });
    expect(resolved.datasetOptions).toEqual({ scale: 9, flatten: false });
    expect(resolved.evaluation).toMatchObject({ limit: 7, samples: 9 });
  });

  it('takes a recipe object as well as a name', () => {
    const own = { ...recipes[1], name: 'mine', train: { steps: 9, batchSize: 2 } };
    const resolved = resolveRecipe({ model: 'toy-ae', recipe: own }, registry());
    expect(resolved.recipe).toBe(own);
    expect([resolved.dataset, resolved.train.steps, resolved.train.batchSize]).toEqual(['rings', 9, 2]);
  });

  it("uses a recipe's dataset options only on that recipe's dataset", () => {
    const other = resolveRecipe({ model: 'toy-ae', recipe: 'blobs', dataset: 'moons' }, registry());
    expect(other.dataset).toBe('moons');
    expect(other.datasetOptions).toEqual({});
    expect(other.config).toEqual({ hidden: 16, latent: 3 });
  });

  it('names what is wrong', () => {
    const r = registry();
    expect(() => resolveRecipe({ model: 'toy-ae', recipe: 'nope' }, r)).toThrow(
      /unknown recipe "nope".*blobs, rings/,
    );
    expect(() => resolveRecipe({ model: 'toy-gan' }, r)).toThrow(/no recipe for this run: name a dataset/);
    expect(() => resolveRecipe({ model: 'toy-ae', dataset: 'moons', quick: true }, r)).toThrow(
      /quick needs a recipe/,
    );
    expect(() => resolveRecipe({ model: 'toy-ae', recipe: 'rings', steps: 3, epochs: 1 }, r)).toThrow(
      /either steps or epochs/,
    );
    expect(() =>
      resolveRecipe(
        { model: 'toy-ae', recipe: 'rings', set: [{ path: ['train', 'batchSize'], value: -1 }] },
        r,
      ),
    ).toThrow(ConfigError);
    expect(() =>
      resolveRecipe({ model: 'toy-ae', recipe: 'rings', file: { evaluation: { limt: 3 } } }, r),
    ).toThrow(/run file: evaluation/);
    const stage: ReproduceRecipe = {
      ...recipes[1],
      name: 'stage-two',
      startsFrom: { recipe: 'toy-ae/rings', configKey: 'source' },
    };
    expect(() => resolveRecipe({ model: 'toy-ae', recipe: stage }, r)).toThrow(
      /recipe toy-ae\/stage-two starts from a trained toy-ae\/rings run: .*--set source=<run>/,
    );
    const given = resolveRecipe(
      { model: 'toy-ae', recipe: stage, set: [{ path: ['source'], value: 'runs/rings' }] },
      r,
    );
    expect(given.config.source).toBe('runs/rings');
    expect(() => parseRunFile({ steps: 3 }, 'run.json')).toThrow(/run.json: unknown key\(s\) steps/);
    expect(() => parseRunFile([], 'run.json')).toThrow(/expected a JSON object/);
    expect(() => setPath({}, ['__proto__', 'polluted'], 1)).toThrow(/"__proto__" cannot be set/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('runRecipe', () => {
  it('trains the resolved model with the batch clipped to the training set, and the caller keeps the model', async () => {
    const r = registry();
    const resolved = resolveRecipe({ model: 'toy-ae', recipe: 'rings', steps: 3 }, r);
    const train = new ArrayDataset('rings', gaussianData(6, [0, 0], 1, 1), [2]);
    const { model, result } = await runRecipe(resolved, { train, registry: r });
    try {
      expect(result.steps).toBe(3);
      expect(model.name).toBe('toy-ae');
      expect(train.getBatchCalls).toBeGreaterThanOrEqual(3);
    } finally {
      model.dispose();
    }
  });

  it('refuses a learning rate for a model whose players all bring their own optimizer, disposing the model', async () => {
    const r = registry();
    const train = new ArrayDataset('rings', gaussianData(8, [0, 0], 1, 2), [2]);
    const resolved = resolveRecipe(
      { model: 'toy-gan-own', dataset: 'rings', steps: 1, learningRate: 0.1 },
      r,
    );
    await expect(runRecipe(resolved, { train, registry: r, learningRateName: '--lr' })).rejects.toThrow(
      /--lr: every player of toy-gan-own has its own optimizer/,
    );
    // A model with a player on the default optimizer takes it.
    const gan = resolveRecipe({ model: 'toy-gan', dataset: 'rings', steps: 1, learningRate: 0.1 }, r);
    const { model } = await runRecipe(gan, { train, registry: r });
    model.dispose();
  });
});
