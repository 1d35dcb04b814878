/**
 * `dist/parallel-worker.js`: the script each Node gradient worker thread runs (see
 * `nodeGradientWorkers`). It serves the main thread on its parent port.
 */
import { parentPort } from 'node:worker_threads';
import { serveGradientShards } from './parallel/worker.js';

if (parentPort === null) throw new Error('@genzoo/core: parallel-worker.js runs in a worker thread');
serveGradientShards(parentPort as unknown as Parameters<typeof serveGradientShards>[0]);
