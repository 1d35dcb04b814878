/** A gradient worker thread for the tests: the toy plugin's models on the cpu backend (bundled by data-parallel.test.ts). */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { serveGradientShards, type WorkerScope } from '../src/parallel/worker.js';
import { toyRegistry } from './trainer-fixtures.js';

await tf.setBackend('cpu');
serveGradientShards(parentPort as unknown as WorkerScope, toyRegistry());
