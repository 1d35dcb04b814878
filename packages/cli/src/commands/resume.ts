import { dirname } from 'node:path';
import { ConfigError, readManifest, Trainer } from '@genzoo/core';
import { intFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { checkpointDirOf, type DatasetRef, openDataset, prepare } from '../setup.js';
import { type EvaluationSettings, finishRun, periodicEvaluation, runCallbacks } from '../training-run.js';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'continue a run from its last checkpoint, exactly as if it had not stopped',
  usage: 'genzoo resume <dir> [--steps N (new total)] [--json]',
  options: { ...commonOptions, steps: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  positionals: 1,
  async run({ positionals, values }) {
    const backend = await prepare(values.backend);
    const checkpointDir = checkpointDirOf(positionals[0]);
    const dir = dirname(checkpointDir);
    const manifest = await readManifest(checkpointDir);
    const run = manifest.run as { dataset?: DatasetRef; evaluation?: EvaluationSettings };
    if (!run?.dataset?.name)
      throw new ConfigError(`${checkpointDir}: the manifest does not say which dataset it trained on`);
    const data = await openDataset(run.dataset);
    const evaluation = run.evaluation ?? {};
    const trainer = await Trainer.resume(checkpointDir, {
      train: data.train,
      validation: data.validation,
      steps: intFlag('steps', values.steps),
      callbacks: runCallbacks(dir, Boolean(values.json || values.quiet)),
      evaluate: periodicEvaluation(data.validation ?? data.test, evaluation),
    });
    try {
      const result = await trainer.run();
      await finishRun({
        dir,
        model: trainer.model,
        modelName: manifest.model.name,
        datasetName: run.dataset.name,
        data,
        result,
        backend: backend.name,
        evaluation,
        seed: manifest.train.seed,
        json: Boolean(values.json),
      });
    } finally {
      trainer.model.dispose();
    }
  },
};
