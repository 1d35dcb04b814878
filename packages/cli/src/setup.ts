/** Shared steps of the commands: backend, plugins, datasets, and where a run keeps its files. */
import { join } from 'node:path';
import { type BackendInfo, CheckpointError, checkpointExists, initBackend } from '@genzoo/core';
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
