import { readFileSync } from 'node:fs';
import {
  ConfigError,
  defaultRegistry,
  formatZodIssues,
  type ReproduceRecipe,
  Trainer,
  trainConfigSchema,
} from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { intFlag, numberFlag, parseAssignment, setPath } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { RunFolder } from '../run-folder.js';
import { openDataset, prepare, runPaths } from '../setup.js';
import { finishRun, parseEvaluationSettings, periodicEvaluation, runCallbacks } from '../training-run.js';

/** A run file (`--config f.json`) has the shape of a reproduce recipe; every part is optional. */
interface RunFile {
  dataset?: string;
  datasetOptions?: Record<string, unknown>;
  config?: Record<string, unknown>;
  train?: Record<string, unknown>;
  evaluation?: unknown;
}

const RUN_FILE_KEYS = new Set(['dataset', 'datasetOptions', 'config', 'train', 'evaluation']);

function readRunFile(path: string): RunFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--config ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`--config ${path}: expected a JSON object`);
  }
  const unknown = Object.keys(parsed).filter((k) => !RUN_FILE_KEYS.has(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      `--config ${path}: unknown key(s) ${unknown.join(', ')}; expected ${[...RUN_FILE_KEYS].join(', ')}`,
    );
  }
  return parsed as RunFile;
}

/** The recipe a run starts from: the one named by --recipe, else the model's recipe for that dataset. */
function baseRecipe(recipes: ReproduceRecipe[], name: string | undefined, dataset: string | undefined) {
  if (name) {
    const recipe = recipes.find((r) => r.name === name);
    if (!recipe) {
      throw new ConfigError(
        `unknown recipe "${name}"; this model has: ${recipes.map((r) => r.name).join(', ')}`,
      );
    }
    return recipe;
  }
  return recipes.find((r) => r.dataset === dataset);
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model on a dataset, checkpointing into a run directory',
  usage:
    'genzoo train <model> --dataset <name> --out <dir> [--overwrite] [--recipe name [--quick]] [--config run.json] [--set key=value]... ' +
    '[--epochs N | --steps N] [--batch N] [--lr X] [--seed N] [--eval-limit N] [--eval-samples K] [--json]\n' +
    '  --out must be new or empty; --overwrite replaces a run there once the new run has its first checkpoint\n' +
    '  --set keys: model config keys (components=8), train.<key> (train.clipNorm=5), data.<key> (data.binarize=dynamic)',
  options: {
    ...commonOptions,
    dataset: { type: 'string' },
    out: { type: 'string' },
    recipe: { type: 'string' },
    config: { type: 'string' },
    set: { type: 'string', multiple: true },
    epochs: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    'eval-limit': { type: 'string' },
    'eval-samples': { type: 'string' },
    quick: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    overwrite: { type: 'boolean', default: false },
  },
  positionals: 1,
  async run({ positionals, values }) {
    const modelName = positionals[0];
    if (!values.out) throw new ConfigError('--out <dir> is required');
    const backend = await prepare(values.backend);
    const { definition } = defaultRegistry.get(modelName);

    const file = values.config ? readRunFile(String(values.config)) : {};
    const recipe = baseRecipe(
      definition.reproduce,
      values.recipe as string | undefined,
      (values.dataset ?? file.dataset) as string | undefined,
    );
    const datasetName = (values.dataset as string | undefined) ?? file.dataset ?? recipe?.dataset;
    if (!datasetName) throw new ConfigError('--dataset <name> is required (see `genzoo datasets`)');

    if (values.quick && !recipe)
      throw new ConfigError('--quick needs a recipe (--recipe name, or a dataset with one)');
    const quick = values.quick ? recipe?.quick : undefined;
    const modelConfig: Record<string, unknown> = { ...recipe?.config, ...file.config };
    const train: Record<string, unknown> = { ...recipe?.train, ...quick?.train, ...file.train };
    const datasetOptions: Record<string, unknown> = {
      ...(recipe?.dataset === datasetName ? { ...recipe.datasetOptions, ...quick?.datasetOptions } : {}),
      ...file.datasetOptions,
    };
    const recipeEvaluation = parseEvaluationSettings(
      { ...recipe?.evaluation, ...quick?.evaluation },
      `recipe ${recipe?.name}`,
    );
    const fileEvaluation = parseEvaluationSettings(file.evaluation, `--config ${values.config}`);
    for (const assignment of (values.set as string[] | undefined) ?? []) {
      const { path, value } = parseAssignment(assignment);
      if (path[0] === 'train') setPath(train, path.slice(1), value);
      else if (path[0] === 'data') setPath(datasetOptions, path.slice(1), value);
      else setPath(modelConfig, path, value);
    }
    const steps = intFlag('steps', values.steps);
    const epochs = numberFlag('epochs', values.epochs);
    if (steps !== undefined && epochs !== undefined)
      throw new ConfigError('give either --steps or --epochs, not both');
    if (steps !== undefined) {
      train.steps = steps;
      delete train.epochs;
    }
    if (epochs !== undefined) {
      train.epochs = epochs;
      delete train.steps;
    }
    if (values.batch !== undefined) train.batchSize = intFlag('batch', values.batch);
    if (values.seed !== undefined) train.seed = intFlag('seed', values.seed, { min: 0 });
    if (values.lr !== undefined) {
      const optimizer = (train.optimizer ?? { name: 'adam' }) as Record<string, unknown>;
      train.optimizer = { ...optimizer, learningRate: numberFlag('lr', values.lr) };
    }
    if (train.steps === undefined && train.epochs === undefined) train.epochs = 1;

    const parsedTrain = trainConfigSchema.safeParse(train);
    if (!parsedTrain.success)
      throw new ConfigError(`invalid training config: ${formatZodIssues(parsedTrain.error)}`);
    const trainConfig = parsedTrain.data;
    const evaluation = {
      limit: intFlag('eval-limit', values['eval-limit']) ?? fileEvaluation.limit ?? recipeEvaluation.limit,
      samples:
        intFlag('eval-samples', values['eval-samples']) ?? fileEvaluation.samples ?? recipeEvaluation.samples,
      score: fileEvaluation.score ?? recipeEvaluation.score,
    };

    // Taken before the data is loaded, so a folder in use or holding a run is refused at once.
    const dir = String(values.out);
    const folder = await RunFolder.forNewRun(dir, {
      overwrite: Boolean(values.overwrite),
      purpose: `genzoo train ${modelName}`,
      onWarning: (message) => console.warn(`warning: ${message}`),
    });
    try {
      const data = await openDataset({ name: datasetName, options: datasetOptions });
      // Full-batch recipes (EM, closed-form PCA) ask for more than the set holds: use the whole set.
      trainConfig.batchSize = Math.min(trainConfig.batchSize, data.train.size);
      const model = defaultRegistry.createModel(modelName, modelConfig, {
        eventShape: data.train.eventShape,
        numClasses: data.train.numClasses,
        seed: trainConfig.seed,
      });
      try {
        const ownOptimizers = model
          .trainingPlan()
          .players.every((player) => player.kind !== 'gradient' || player.optimizer !== undefined);
        if (values.lr !== undefined && ownOptimizers) {
          throw new ConfigError(
            `--lr: every player of ${modelName} has its own optimizer in the model config; set it there, e.g. ` +
              '--set optimizers.generator.learningRate=1e-4',
          );
        }
        const quiet = Boolean(values.json || values.quiet);
        const registered = defaultRegistry.get(modelName);
        const trainer = new Trainer({
          model,
          modelRef: { name: modelName, plugin: registered.plugin },
          train: data.train,
          validation: data.validation,
          config: trainConfig,
          checkpoints: checkpointDirectory(runPaths(dir).checkpoint),
          callbacks: [...runCallbacks(dir, quiet), folder.callback()],
          evaluate: periodicEvaluation(data.validation ?? data.test, evaluation),
          // The dataset spec has defaults filled in and no machine-specific paths, so resume/eval reload it anywhere.
          runInfo: { dataset: data.spec, evaluation },
        });
        const result = await trainer.run();
        await finishRun({
          dir,
          model,
          modelName,
          datasetName,
          data,
          result,
          backend: backend.name,
          evaluation,
          seed: trainConfig.seed,
          json: Boolean(values.json),
        });
      } finally {
        model.dispose();
      }
    } catch (error) {
      folder.failed();
      throw error;
    } finally {
      folder.release();
    }
  },
};
