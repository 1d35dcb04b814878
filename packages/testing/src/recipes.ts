/**
 * Recipe smoke runs: each `reproduce` recipe's exact model config, training config and dataset options,
 * through core's Trainer for a few steps. Tests may not download, so a recipe whose dataset is not on
 * this machine (Fashion-MNIST without Debian's dataset-fashion-mnist, full MNIST) runs on mnist-10k — the
 * same 28 × 28 grey images, with the same options.
 */
import {
  type GenerativeModel,
  type GenzooPlugin,
  PluginRegistry,
  type ReproduceRecipe,
  type TrainConfigInput,
  Trainer,
  type TrainResult,
  trainConfigSchema,
} from '@genzoo/core';
import { type LoadedDataset, listDatasets, loadDataset } from '@genzoo/datasets';
import { TensorCounter } from './tensor-counter.js';

export type RecipeCase = readonly [id: string, model: string, recipe: ReproduceRecipe];

/** Every recipe of the plugin as `[model/recipe, model, recipe]`, for `it.each`. */
export function recipeCases(plugin: GenzooPlugin): RecipeCase[] {
  return plugin.models.flatMap((definition) =>
    definition.reproduce.map(
      (recipe) => [`${definition.name}/${recipe.name}`, definition.name, recipe] as const,
    ),
  );
}

const loaded = new Map<string, Promise<LoadedDataset>>();
let local: Set<string> | undefined;

/** The recipe's dataset, or mnist-10k where it is not on this machine (and for full MNIST); loaded once per options. */
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

/**
 * Creates model `name` of the plugin (seed 0) for the data and trains it through core's Trainer with a
 * TensorCounter attached, checkpointing into `checkpointDir` when given; the caller disposes the model.
 */
export async function trainCounted(args: {
  plugin: GenzooPlugin;
  name: string;
  config: Record<string, unknown>;
  data: LoadedDataset;
  train: TrainConfigInput;
  checkpointDir?: string;
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
  const result = await new Trainer({
    model,
    modelRef: { name, plugin: { name: plugin.name, version: plugin.version } },
    train: data.train,
    config: trainConfigSchema.parse(args.train),
    callbacks: [counter],
    checkpointDir: args.checkpointDir,
  }).run();
  return { model, counter, result };
}

/**
 * Trains a fresh model of the recipe for `steps` steps (no checkpoints) and returns it with its data and
 * the Trainer's result; the caller disposes the model.
 */
export async function runRecipeSteps(
  plugin: GenzooPlugin,
  name: string,
  recipe: ReproduceRecipe,
  steps: number,
): Promise<{ model: GenerativeModel; data: LoadedDataset; result: TrainResult }> {
  const data = await recipeData(recipe);
  const { epochs: _epochs, ...train } = recipe.train;
  const { model, result } = await trainCounted({
    plugin,
    name,
    config: recipe.config,
    data,
    train: { ...train, steps, logEvery: 1, checkpointEvery: 0 },
  });
  return { model, data, result };
}
