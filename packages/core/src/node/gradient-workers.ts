/**
 * Gradient workers on Node worker threads. Each thread runs this package's `dist/parallel-worker.js`, which
 * serves `serveGradientShards` on its parent port, with its own tfjs engine.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  assertThreads,
  GradientWorkerPool,
  type GradientWorkerPoolOptions,
  type WorkerEndpoint,
} from '../parallel/pool.js';
import type { FromWorker } from '../parallel/protocol.js';

export interface NodeGradientWorkersOptions extends GradientWorkerPoolOptions {
  /** Worker threads (a data-parallel step also computes one shard on the main thread). */
  threads: number;
  /** The worker script (default: this package's `parallel-worker.js`, next to this file in `dist`). */
  workerUrl?: string | URL;
}

/** A pool of `threads` worker threads. */
export function nodeGradientWorkers(options: NodeGradientWorkersOptions): GradientWorkerPool {
  assertThreads(options.threads);
  const url = options.workerUrl ?? new URL('./parallel-worker.js', import.meta.url);
  const endpoints = Array.from({ length: options.threads }, (): WorkerEndpoint => {
    const worker = new Worker(url);
    // An idle pool does not keep the process alive; a thread with requests in flight does.
    worker.unref();
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      listen(onMessage, onFailure) {
        worker.on('message', (message: FromWorker) => onMessage(message));
        worker.on('error', onFailure);
        worker.on('exit', (code) => onFailure(new Error(`the thread exited with code ${code}`)));
      },
      terminate: async () => {
        await worker.terminate();
      },
      busy: (busy) => (busy ? worker.ref() : worker.unref()),
    };
  });
  return new GradientWorkerPool(endpoints, options);
}

/** The machine's cores as Node sees them: the default number of data-parallel workers. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}
