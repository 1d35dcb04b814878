import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CheckpointError, ConfigError, readManifest, Trainer } from '@genzoo/core';
import { checkpointDirectory, checkpointExists } from '@genzoo/core/node';
import { intFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { RunFolder } from '../run-folder.js';
import { checkpointDirOf, openDataset, PREVIOUS_RUN_DIR, prepare, runDatasetRef } from '../setup.js';
import { finishRun, parseEvaluationSettings, periodicEvaluation, runCallbacks } from '../training-run.js';
import { cliWorkerPool } from '../workers.js';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'continue a run from its last checkpoint, exactly as if it had not stopped',
  usage: 'genzoo resume <dir> [--steps N (new total)] [--json]',
  options: { ...commonOptions, steps: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  positionals: 1,
  async run({ positionals, values }) {
    const backend = await prepare(values.backend);
    const steps = intFlag('steps', values.steps);
    const target = positionals[0];
    // A run folder, or a checkpoint folder given itself: the lock and the recovery of an interrupted
    // --overwrite are the run folder's, and come before its checkpoint is read.
    const isCheckpoint = checkpointExists(target) && !existsSync(join(target, PREVIOUS_RUN_DIR));
    const dir = isCheckpoint ? dirname(resolve(target)) : target;
    if (!existsSync(dir)) throw new CheckpointError(`no checkpoint in ${target}: ${dir} does not exist`);
    const folder = RunFolder.forResume(dir, {
      purpose: 'genzoo resume',
      onWarning: (message) => console.warn(`warning: ${message}`),
    });
    try {
      const checkpointDir = checkpointDirOf(target);
      const checkpoints = checkpointDirectory(checkpointDir);
      const manifest = await readManifest(checkpoints);
      if (!(manifest.run as { dataset?: { name?: unknown } }).dataset?.name)
        throw new ConfigError(`${checkpointDir}: the manifest does not say which dataset it trained on`);
      const dataset = runDatasetRef(manifest.run);
      const evaluation = parseEvaluationSettings(manifest.run.evaluation, `${checkpointDir}: run`);
      const data = await openDataset(dataset);
      // A data-parallel run continues split the same way: another number of workers draws other numbers.
      const workers =
        manifest.train.workers > 1 ? cliWorkerPool(backend)(manifest.train.workers - 1) : undefined;
      const trainer = await Trainer.resume(checkpoints, {
        train: data.train,
        validation: data.validation,
        steps,
        callbacks: [...runCallbacks(dir, Boolean(values.json || values.quiet)), folder.callback()],
        evaluate: periodicEvaluation(data.validation ?? data.test, evaluation),
        ...(workers ? { workers } : {}),
      }).catch(async (error) => {
        await workers?.close();
        throw error;
      });
      try {
        const result = await trainer.run();
        await finishRun({
          dir,
          model: trainer.model,
          modelName: manifest.model.name,
          datasetName: dataset.name,
          data,
          result,
          backend: backend.name,
          evaluation,
          seed: manifest.train.seed,
          json: Boolean(values.json),
          workers,
        });
      } finally {
        await workers?.close();
        trainer.model.dispose();
      }
    } finally {
      folder.release();
    }
  },
};
