/**
 * Resolving what a run trains: a model's reproduce recipe (or none), its `quick` overrides, a run file,
 * dotted assignments and single overrides, merged in that order (later wins) and validated, so the CLI,
 * the benchmarks and plugin tests all start the very same runs from the same request.
 *
 *   recipe → recipe.quick (when asked) → run file → `set` assignments → steps/epochs/batch/seed/lr
 *
 * Dataset options of the recipe apply only when the run uses the recipe's dataset. Evaluation settings
 * come from the recipe, its quick part and the run file (each checked by `evaluationSettingsSchema`),
 * then from the `evaluation` overrides.
 */
import { ConfigError, formatZodIssues } from '../errors.js';
import { type EvaluationSettings, evaluationSettingsSchema } from '../registry/evaluation-settings.js';
import type { ReproduceRecipe } from '../registry/plugin.js';
import { defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import { type TrainConfig, trainConfigSchema } from '../training/config.js';

/** A run file (e.g. `genzoo train --config run.json`): the shape of a recipe, every part optional. */
export interface RunFile {
  dataset?: string;
  datasetOptions?: Record<string, unknown>;
  config?: Record<string, unknown>;
  train?: Record<string, unknown>;
  evaluation?: unknown;
}

const RUN_FILE_KEYS = ['dataset', 'datasetOptions', 'config', 'train', 'evaluation'] as const;

/** Checks parsed JSON as a run file; `where` names it in errors (e.g. `--config run.json`). */
export function parseRunFile(value: unknown, where: string): RunFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected a JSON object`);
  }
  const unknown = Object.keys(value).filter((k) => !(RUN_FILE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${where}: unknown key(s) ${unknown.join(', ')}; expected ${RUN_FILE_KEYS.join(', ')}`,
    );
  }
  const file = value as RunFile;
  if (file.dataset !== undefined && typeof file.dataset !== 'string') {
    throw new ConfigError(`${where}: dataset must be a string`);
  }
  for (const key of ['datasetOptions', 'config', 'train'] as const) {
    const part = file[key];
    if (part !== undefined && (typeof part !== 'object' || part === null || Array.isArray(part))) {
      throw new ConfigError(`${where}: ${key} must be an object`);
    }
  }
  return file;
}

/** One dotted assignment, e.g. `{ path: ['train', 'steps'], value: 200 }`. */
export interface Assignment {
  path: string[];
  value: unknown;
}

/** Sets `target[path[0]]…[path[n]] = value`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (path.length === 0 || path.some((key) => key === '')) {
    throw new ConfigError(`"${path.join('.')}" is not a key path`);
  }
  const forbidden = path.find((key) => key === '__proto__' || key === 'constructor' || key === 'prototype');
  if (forbidden !== undefined) throw new ConfigError(`${path.join('.')}: "${forbidden}" cannot be set`);
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new ConfigError(`${path.join('.')}: "${key}" is not an object`);
    }
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

export interface RecipeRequest {
  /** Registered model name. */
  model: string;
  /** Recipe by name, or a recipe itself (e.g. one a test made); default: the model's recipe for `dataset` (or none). */
  recipe?: string | ReproduceRecipe;
  /** Apply the recipe's `quick` overrides (needs a recipe). */
  quick?: boolean;
  /** Dataset; default: the run file's, else the recipe's. */
  dataset?: string;
  /** A run file (see parseRunFile) and its name for messages. */
  file?: RunFile;
  fileName?: string;
  /** Applied after the run file: `train.…` to the training config, `data.…` to the dataset options, anything else to the model config. */
  set?: readonly Assignment[];
  steps?: number;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Learning rate of the default optimizer (refused by runRecipe for models whose players all bring their own). */
  learningRate?: number;
  /** Evaluation overrides, applied last. */
  evaluation?: Partial<EvaluationSettings>;
}

export interface ResolvedRecipe {
  model: string;
  /** The recipe the run started from, if any. */
  recipe?: ReproduceRecipe;
  quick: boolean;
  dataset: string;
  datasetOptions: Record<string, unknown>;
  /** Model config before the model's schema (the registry validates it when creating the model). */
  config: Record<string, unknown>;
  train: TrainConfig;
  evaluation: EvaluationSettings;
  /** Whether the request set the learning rate of the default optimizer. */
  learningRate?: number;
}

function parseEvaluation(value: unknown, where: string): EvaluationSettings {
  const parsed = evaluationSettingsSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(`${where}: evaluation: ${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

/** The recipe a run starts from: the named one, else the model's recipe for the dataset. */
function baseRecipe(
  recipes: readonly ReproduceRecipe[],
  name: string | ReproduceRecipe | undefined,
  dataset: string | undefined,
): ReproduceRecipe | undefined {
  if (typeof name === 'object') return name;
  if (name === undefined) return recipes.find((r) => r.dataset === dataset);
  const recipe = recipes.find((r) => r.name === name);
  if (!recipe) {
    throw new ConfigError(
      `unknown recipe "${name}"; this model has: ${recipes.map((r) => r.name).join(', ') || '(none)'}`,
    );
  }
  return recipe;
}

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

/** Merges and validates a run request; see the file comment for the order. */
export function resolveRecipe(
  request: RecipeRequest,
  registry: PluginRegistry = defaultRegistry,
): ResolvedRecipe {
  const definition = registry.get(request.model).definition;
  const file = request.file ?? {};
  const fileName = request.fileName ?? 'run file';
  const recipe = baseRecipe(definition.reproduce, request.recipe, request.dataset ?? file.dataset);
  const dataset = request.dataset ?? file.dataset ?? recipe?.dataset;
  if (!dataset) {
    throw new ConfigError(`model "${request.model}" has no recipe for this run: name a dataset`);
  }
  if (request.quick && !recipe) {
    throw new ConfigError('quick needs a recipe (name one, or use a dataset the model has a recipe for)');
  }
  const quick = request.quick ? recipe?.quick : undefined;
  const config: Record<string, unknown> = { ...recipe?.config, ...file.config };
  const train: Record<string, unknown> = { ...recipe?.train, ...quick?.train, ...file.train };
  const datasetOptions: Record<string, unknown> = {
    ...(recipe?.dataset === dataset ? { ...recipe.datasetOptions, ...quick?.datasetOptions } : {}),
    ...file.datasetOptions,
  };
  const recipeEvaluation = parseEvaluation(
    { ...recipe?.evaluation, ...quick?.evaluation },
    `recipe ${recipe?.name}`,
  );
  const fileEvaluation = parseEvaluation(file.evaluation, fileName);
  for (const { path, value } of request.set ?? []) {
    if (path[0] === 'train') setPath(train, path.slice(1), value);
    else if (path[0] === 'data') setPath(datasetOptions, path.slice(1), value);
    else setPath(config, path, value);
  }
  const stage = recipe?.startsFrom;
  if (stage && config[stage.configKey] === undefined) {
    throw new ConfigError(
      `recipe ${request.model}/${recipe.name} starts from a trained ${stage.recipe} run: train that first, ` +
        `then set ${stage.configKey} to its run folder (genzoo train: --set ${stage.configKey}=<run>)`,
    );
  }
  checkCount('steps', request.steps, 1);
  checkCount('batch size', request.batchSize, 1);
  checkCount('seed', request.seed, 0);
  if (request.steps !== undefined && request.epochs !== undefined) {
    throw new ConfigError('give either steps or epochs, not both');
  }
  if (request.steps !== undefined) {
    train.steps = request.steps;
    delete train.epochs;
  }
  if (request.epochs !== undefined) {
    train.epochs = request.epochs;
    delete train.steps;
  }
  if (request.batchSize !== undefined) train.batchSize = request.batchSize;
  if (request.seed !== undefined) train.seed = request.seed;
  if (request.learningRate !== undefined) {
    const optimizer = (train.optimizer ?? { name: 'adam' }) as Record<string, unknown>;
    train.optimizer = { ...optimizer, learningRate: request.learningRate };
  }
  if (train.steps === undefined && train.epochs === undefined) train.epochs = 1;
  const parsedTrain = trainConfigSchema.safeParse(train);
  if (!parsedTrain.success) {
    throw new ConfigError(`invalid training config: ${formatZodIssues(parsedTrain.error)}`);
  }
  const evaluation = parseEvaluation(
    {
      limit: request.evaluation?.limit ?? fileEvaluation.limit ?? recipeEvaluation.limit,
      samples: request.evaluation?.samples ?? fileEvaluation.samples ?? recipeEvaluation.samples,
      score: request.evaluation?.score ?? fileEvaluation.score ?? recipeEvaluation.score,
    },
    'evaluation overrides',
  );
  return {
    model: request.model,
    recipe,
    quick: Boolean(request.quick),
    dataset,
    datasetOptions,
    config,
    train: parsedTrain.data,
    evaluation,
    learningRate: request.learningRate,
  };
}
