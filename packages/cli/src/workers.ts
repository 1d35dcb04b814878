/**
 * How many threads `genzoo train` splits each batch over (`--workers`), and `genzoo eval` its batches:
 * the flag, else GENZOO_WORKERS, else `auto`, one per core of the machine. The gradient workers are Node worker threads, each with its
 * own tfjs engine on the main thread's backend (core's nodeGradientWorkers with this CLI's setup module).
 */
import type { BackendInfo } from '@genzoo/backends';
import {
  ConfigError,
  type GenerativeModel,
  type GradientWorkerPool,
  layoutOf,
  type ModelDescription,
  tf,
} from '@genzoo/core';
import { defaultWorkerCount, nodeGradientWorkers } from '@genzoo/core/node';
import type { CliWorkerSetup } from './worker-setup.js';

export const WORKERS_ENV_VAR = 'GENZOO_WORKERS';

export interface WorkersSetting {
  count: number;
  /** Chosen for the machine (`auto`), not by the user: a model whose plan cannot be split uses one. */
  auto: boolean;
}

/** `--workers N|auto`, else GENZOO_WORKERS, else auto. */
export function workersSetting(flag: unknown): WorkersSetting {
  const env = process.env[WORKERS_ENV_VAR]?.trim();
  const [text, source] =
    typeof flag === 'string' ? [flag, '--workers'] : env ? [env, WORKERS_ENV_VAR] : ['auto', ''];
  if (text === 'auto') return { count: defaultWorkerCount(), auto: true };
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(`${source}: expected a positive integer or auto, got "${text}"`);
  }
  return { count, auto: false };
}

/** Makes `threads` gradient worker threads that load this CLI's plugins on `backend`. */
export function cliWorkerPool(backend: BackendInfo): (threads: number) => GradientWorkerPool {
  const data: CliWorkerSetup = { backend: backend.name };
  return (threads) =>
    nodeGradientWorkers({
      threads,
      setup: { module: new URL('./worker-setup.js', import.meta.url).href, data },
    });
}

/**
 * `count − 1` worker threads started on `model` (as `description` rebuilds it), for work shared out over
 * them and this thread (a sharded evaluation); undefined when `count` is 1. The caller closes them.
 */
export async function startedWorkers(
  backend: BackendInfo,
  model: GenerativeModel,
  description: ModelDescription,
  count: number,
): Promise<GradientWorkerPool | undefined> {
  if (count <= 1) return undefined;
  const pool = cliWorkerPool(backend)(count - 1);
  try {
    await pool.start(description, layoutOf(model.variables()), tf.engine().backendName);
    return pool;
  } catch (error) {
    await pool.close();
    throw error;
  }
}
