export { DataParallelUpdates } from './data-parallel.js';
export { type LayoutEntry, layoutOf, type VariableLayout } from './layout.js';
export {
  assertThreads,
  type BrowserGradientWorkersOptions,
  browserGradientWorkers,
  GradientWorkerPool,
  type GradientWorkerPoolOptions,
  type WorkerEndpoint,
} from './pool.js';
export type {
  FromWorker,
  HostBatch,
  InitMessage,
  ModelDescription,
  ShardMessage,
  ShardReply,
  ToWorker,
  Transport,
  WorkerSetup,
} from './protocol.js';
export { serveGradientShards, type WorkerScope } from './worker.js';
