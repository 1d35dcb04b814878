/** Shared steps of the commands: backend, plugins, datasets, and where a run keeps its files. */
import { join } from 'node:path';
import { type BackendInfo, CheckpointError, ConfigError, checkpointExists, initBackend } from '@genzoo/core';
import { type LoadedDataset, loadDataset } from '@genzoo/datasets';
import { loadPlugins } from './plugins.js';

/** Chooses the backend (a one-line note on stderr unless quiet) and registers the installed plugins. */
export async function prepare(backend: unknown, { quiet = false } = {}): Promise<BackendInfo> {
  const info = await initBackend({
    quiet,
    ...(typeof backend === 'string' ? { force: backend as BackendInfo['name'] } : {}),
  });
  await loadPlugins();
  return info;
}

export interface DatasetRef {
  name: string;
  options: Record<string, unknown>;
}

/** The value range of a run's images as its dataset options set it ([0, 1] unless `range` says otherwise). */
export function valueRangeOf(options: Record<string, unknown> | undefined): [number, number] {
  const range = options?.range;
  return Array.isArray(range) && range.length === 2 ? [Number(range[0]), Number(range[1])] : [0, 1];
}

/**
 * The dataset a command evaluates a checkpoint on: `--dataset` or the one the run trained on, with the
 * run's options (binarization, scaling) when it is the same dataset.
 */
export function runDatasetRef(run: unknown, override: string | undefined): DatasetRef {
  const trained = (run as { dataset?: DatasetRef } | undefined)?.dataset;
  const name = override ?? trained?.name;
  if (!name) throw new ConfigError('--dataset <name> is required: the checkpoint does not name its dataset');
  return { name, options: name === trained?.name ? trained.options : {} };
}

export async function openDataset(ref: DatasetRef): Promise<LoadedDataset> {
  return loadDataset(ref.name, ref.options);
}

/** Files of a training run directory. */
export function runPaths(dir: string) {
  return {
    checkpoint: join(dir, 'checkpoint'),
    metrics: join(dir, 'metrics.jsonl'),
    curvesSvg: join(dir, 'curves.svg'),
    curvesPng: join(dir, 'curves.png'),
    losses: join(dir, 'losses.png'),
    samples: join(dir, 'samples.png'),
    density: join(dir, 'density.png'),
    layers: join(dir, 'layers.png'),
    result: join(dir, 'result.json'),
  };
}

/** Accepts a run directory (with checkpoint/) or a checkpoint directory itself. */
export function checkpointDirOf(dir: string): string {
  const nested = join(dir, 'checkpoint');
  if (checkpointExists(nested)) return nested;
  if (checkpointExists(dir)) return dir;
  throw new CheckpointError(`no checkpoint in ${dir} (expected ${join(nested, 'manifest.json')})`);
}
