import { CheckpointError, ConfigError, loadModel } from '@genzoo/core';
import { evaluateModel } from '@genzoo/evaluation';
import { intFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { printJson } from '../output.js';
import { checkpointOf, openDataset, prepare, runDatasetRef } from '../setup.js';
import { startedWorkers, workersSetting } from '../workers.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a trained model on a dataset split (nll_nats, bits_per_dim, elbo where defined)',
  usage:
    'genzoo eval <dir> [--dataset <name>] [--split test|train|validation] [--limit N] [--samples K] [--seed N] [--workers N|auto] [--json]\n' +
    '  --workers: share the batches out over N threads (default GENZOO_WORKERS, else auto: one per core); same metrics',
  options: {
    ...commonOptions,
    dataset: { type: 'string' },
    split: { type: 'string', default: 'test' },
    limit: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string', default: '0' },
    workers: { type: 'string' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    const backend = await prepare(values.backend);
    const { count } = workersSetting(values.workers);
    const { model, manifest } = await loadModel(checkpointOf(positionals[0]));
    let workers: Awaited<ReturnType<typeof startedWorkers>>;
    try {
      const ref = runDatasetRef(manifest.run, values.dataset as string | undefined);
      const { name } = ref;
      const data = await openDataset(ref);
      const split = String(values.split) as 'train' | 'test' | 'validation';
      const dataset = data[split];
      if (!dataset) throw new ConfigError(`--split ${split}: dataset ${name} has no ${split} split`);
      const limit = intFlag('limit', values.limit);
      workers = await startedWorkers(backend, model, manifest.model, count);
      const metrics = await evaluateModel(model, dataset, {
        ...(workers ? { workers } : {}),
        limit,
        samples: intFlag('samples', values.samples),
        seed: intFlag('seed', values.seed, { min: 0 }),
        onProgress:
          values.json || !process.stderr.isTTY
            ? undefined
            : (done, total) => process.stderr.write(`\revaluating ${done}/${total}`),
      });
      if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
      const nonFinite = Object.entries(metrics).filter(([, v]) => !Number.isFinite(v));
      if (nonFinite.length > 0) {
        throw new CheckpointError(
          `${positionals[0]}: the model gives ${nonFinite.map(([k, v]) => `${k} = ${v}`).join(', ')} on ` +
            `${name} ${split}: its parameters have diverged or do not fit this data`,
        );
      }
      const result = {
        model: manifest.model.name,
        dataset: name,
        split,
        examples: Math.min(limit ?? dataset.size, dataset.size),
        ...metrics,
      };
      if (values.json) return printJson(result);
      for (const [k, v] of Object.entries(result)) console.log(`${k}: ${v}`);
    } finally {
      await workers?.close();
      model.dispose();
    }
  },
};
