export { fromHostBatch, hostBatchBuffers, toHostBatch } from './host-batch.js';
export { type LayoutEntry, layoutOf, type VariableLayout } from './layout.js';
export {
  type BrowserGradientWorkersOptions,
  browserGradientWorkers,
  GradientWorkerPool,
  type GradientWorkerPoolOptions,
  type WorkerEndpoint,
} from './pool.js';
export type {
  CloseMessage,
  ErrorReply,
  FromWorker,
  HostBatch,
  InitMessage,
  ModelDescription,
  ReadyReply,
  ShardMessage,
  ShardReply,
  TaskMessage,
  TaskReply,
  ToWorker,
  Transport,
  WorkerSetup,
} from './protocol.js';
export { serveGradientShards, type WorkerScope } from './worker.js';
