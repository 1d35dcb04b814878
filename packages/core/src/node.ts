/**
 * @genzoo/core/node — what core does with Node.js: checkpoints in folders (written atomically, read
 * without following links), advisory file locks, files replaced atomically, the JSONL metrics log and the
 * terminal progress bar, and gradient workers on worker threads. Everything else, including the checkpoint format and the Trainer, is in
 * `@genzoo/core`, which runs in browsers too.
 */
export {
  checkpointDirectory,
  checkpointExists,
  previousPath,
  resolveCheckpointDir,
  writeFileAtomic,
} from './node/checkpoint-directory.js';
export {
  defaultWorkerCount,
  type NodeGradientWorkersOptions,
  nodeGradientWorkers,
} from './node/gradient-workers.js';
export { JsonlMetricsLogger, type JsonlMetricsLoggerOptions, readMetricsLog } from './node/jsonl-logger.js';
export {
  acquireLock,
  describeHolder,
  type FileLock,
  isProcessRunning,
  isStale,
  type LockHolder,
  type LockOptions,
  lockFile,
  writerTag,
} from './node/lock.js';
export { ProgressBar, type ProgressBarOptions, type ProgressStream } from './node/progress-bar.js';
