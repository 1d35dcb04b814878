/** Shared steps of the commands: backend, plugins, datasets, and where a run keeps its files. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendInfo, CheckpointError, initBackend } from '@genzoo/core';
import { type DataSplits, loadDataset } from '@genzoo/datasets';
import { loadPlugins } from './plugins.js';

export async function prepare(backend: unknown): Promise<BackendInfo> {
  const info = await initBackend(typeof backend === 'string' ? { force: backend as BackendInfo['name'] } : {});
  await loadPlugins();
  return info;
}

export interface DatasetRef {
  name: string;
  options: Record<string, unknown>;
}

export async function openDataset(ref: DatasetRef): Promise<DataSplits> {
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
    result: join(dir, 'result.json'),
  };
}

/** Accepts a run directory (with checkpoint/) or a checkpoint directory itself. */
export function checkpointDirOf(dir: string): string {
  if (existsSync(join(dir, 'checkpoint', 'manifest.json'))) return join(dir, 'checkpoint');
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  throw new CheckpointError(`no checkpoint in ${dir} (expected ${join(dir, 'checkpoint', 'manifest.json')})`);
}
