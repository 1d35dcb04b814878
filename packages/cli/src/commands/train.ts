import { readFileSync } from 'node:fs';
import {
  type Assignment,
  ConfigError,
  parseRunFile,
  type RunFile,
  resolveRecipe,
  runRecipe,
} from '@genzoo/core';
import { checkpointDirectory } from '@genzoo/core/node';
import { intFlag, numberFlag, parseAssignment } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { RunFolder } from '../run-folder.js';
import { openDataset, prepare, runPaths } from '../setup.js';
import { finishRun, periodicEvaluation, runCallbacks } from '../training-run.js';
import { cliWorkerPool, workersSetting } from '../workers.js';

/** A run file (`--config f.json`): the shape of a reproduce recipe, every part optional (core's parseRunFile). */
function readRunFile(path: string): RunFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--config ${path}: ${(error as Error).message}`);
  }
  return parseRunFile(parsed, `--config ${path}`);
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model on a dataset, checkpointing into a run directory',
  usage:
    'genzoo train <model> --dataset <name> --out <dir> [--overwrite] [--recipe name [--quick]] [--config run.json] [--set key=value]... ' +
    '[--epochs N | --steps N] [--batch N] [--lr X] [--seed N] [--workers N|auto] [--eval-limit N] [--eval-samples K] [--json]\n' +
    '  --out must be new or empty; --overwrite replaces a run there once the new run has its first checkpoint\n' +
    '  --set keys: model config keys (components=8), train.<key> (train.clipNorm=5), data.<key> (data.binarize=dynamic)\n' +
    '  --workers: split each batch over N threads (default GENZOO_WORKERS, else auto: one per core); same seed and N, same run',
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
    workers: { type: 'string' },
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
    const steps = intFlag('steps', values.steps);
    const epochs = numberFlag('epochs', values.epochs);
    if (steps !== undefined && epochs !== undefined)
      throw new ConfigError('give either --steps or --epochs, not both');
    // recipe → --quick → --config → --set → single flags, merged and validated by core (resolveRecipe).
    const resolved = resolveRecipe({
      model: modelName,
      recipe: values.recipe as string | undefined,
      quick: Boolean(values.quick),
      dataset: values.dataset as string | undefined,
      file: values.config ? readRunFile(String(values.config)) : undefined,
      fileName: `--config ${values.config}`,
      set: ((values.set as string[] | undefined) ?? []).map((text): Assignment => parseAssignment(text)),
      steps,
      epochs,
      batchSize: intFlag('batch', values.batch),
      seed: intFlag('seed', values.seed, { min: 0 }),
      learningRate: numberFlag('lr', values.lr),
      evaluation: {
        limit: intFlag('eval-limit', values['eval-limit']),
        samples: intFlag('eval-samples', values['eval-samples']),
      },
    });
    const { evaluation } = resolved;
    // --set train.workers / a run file's train.workers are the user's choice too; the flag wins.
    const chosenInRun =
      ((values.set as string[] | undefined) ?? []).some((text) => text.trim().startsWith('train.workers=')) ||
      (values.config !== undefined && readRunFile(String(values.config)).train?.workers !== undefined);
    const workers = chosenInRun && values.workers === undefined ? undefined : workersSetting(values.workers);
    if (workers) resolved.train.workers = workers.count;

    // Taken before the data is loaded, so a folder in use or holding a run is refused at once.
    const dir = String(values.out);
    const folder = await RunFolder.forNewRun(dir, {
      overwrite: Boolean(values.overwrite),
      purpose: `genzoo train ${modelName}`,
      onWarning: (message) => console.warn(`warning: ${message}`),
    });
    try {
      const data = await openDataset({ name: resolved.dataset, options: resolved.datasetOptions });
      const quiet = Boolean(values.json || values.quiet);
      const {
        model,
        result,
        workers: pool,
      } = await runRecipe(resolved, {
        train: data.train,
        validation: data.validation,
        learningRateName: '--lr',
        checkpoints: checkpointDirectory(runPaths(dir).checkpoint),
        callbacks: [...runCallbacks(dir, quiet), folder.callback()],
        evaluate: periodicEvaluation(data.validation ?? data.test, evaluation),
        // The dataset spec has defaults filled in and no machine-specific paths, so resume/eval reload it anywhere.
        runInfo: { dataset: data.spec, evaluation },
        workers: { pool: cliWorkerPool(backend), auto: workers?.auto ?? false },
      });
      try {
        await finishRun({
          dir,
          model,
          modelName,
          datasetName: resolved.dataset,
          data,
          result,
          backend: backend.name,
          evaluation,
          seed: resolved.train.seed,
          json: Boolean(values.json),
          workers: pool,
        });
      } finally {
        await pool?.close();
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
