/** Shared steps of the commands: backend, plugins, datasets, and where a run keeps its files. */
import { join } from 'node:path';
import { type BackendInfo, initBackend } from '@genzoo/backends';
import { CheckpointError, type CheckpointStorage, ConfigError } from '@genzoo/core';
import { checkpointDirectory, checkpointExists } from '@genzoo/core/node';
import { datasetSpec, type LoadedDataset, loadDataset } from '@genzoo/datasets/node';
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
 *
 * A manifest may come from anyone, so what it says about the data is checked like user input and may
 * only describe the data, never where it is: options that locate files (a folder, the cache, offline
 * mode) are dropped with a warning, and this machine's own settings (GENZOO_DATA_DIR, GENZOO_CACHE_DIR,
 * GENZOO_OFFLINE) decide where the data is read from.
 */
export function runDatasetRef(run: unknown, override?: string): DatasetRef {
  const trained = (run as { dataset?: { name?: unknown; options?: unknown } } | undefined)?.dataset;
  const trainedName = typeof trained?.name === 'string' ? trained.name : undefined;
  const name = override ?? trainedName;
  if (!name) throw new ConfigError('--dataset <name> is required: the checkpoint does not name its dataset');
  if (name !== trainedName) return { name, options: {} };
  const recorded = trained?.options ?? {};
  if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) {
    throw new CheckpointError(
      `the checkpoint's dataset options are not an object: ${JSON.stringify(recorded)}`,
    );
  }
  let spec: DatasetRef;
  try {
    spec = datasetSpec(name, recorded);
  } catch (error) {
    throw new CheckpointError(`the checkpoint's dataset: ${(error as Error).message}`, { cause: error });
  }
  const dropped = Object.keys(recorded).filter((key) => !(key in spec.options));
  if (dropped.length > 0) {
    console.warn(
      `warning: ignoring the checkpoint's dataset option(s) ${dropped.join(', ')}: where data is read from is ` +
        "this machine's setting, not the checkpoint's",
    );
  }
  return spec;
}

export async function openDataset(ref: DatasetRef): Promise<LoadedDataset> {
  return loadDataset(ref.name, ref.options);
}

/** Where `train --overwrite` keeps the run it replaces until the new run's first checkpoint. */
export const PREVIOUS_RUN_DIR = '.previous-run';

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
    levels: join(dir, 'levels.png'),
    temperatures: join(dir, 'samples-temperatures.png'),
    klGroups: join(dir, 'kl-groups.png'),
    result: join(dir, 'result.json'),
  };
}

/**
 * Accepts a run directory (with checkpoint/) or a checkpoint directory itself. While `train --overwrite`
 * replaces a run and has no checkpoint of its own yet, the run folder's checkpoint is still the earlier
 * run's, set aside in `.previous-run/` (see run-folder.ts).
 */
export function checkpointDirOf(dir: string): string {
  const nested = join(dir, 'checkpoint');
  if (checkpointExists(nested)) return nested;
  const replaced = join(dir, PREVIOUS_RUN_DIR, 'checkpoint');
  if (checkpointExists(replaced)) {
    console.warn(
      `warning: ${dir} is being replaced by a new run (or its replacement was interrupted); reading the earlier run`,
    );
    return replaced;
  }
  if (checkpointExists(dir)) return dir;
  throw new CheckpointError(`no checkpoint in ${dir} (expected ${join(nested, 'manifest.json')})`);
}

/** The checkpoint of a run directory or a checkpoint directory (see checkpointDirOf), for loading. */
export function checkpointOf(dir: string): CheckpointStorage {
  return checkpointDirectory(checkpointDirOf(dir));
}
