/**
 * Checkpoints: a directory with manifest.json, weights.bin and optimizer.bin, replaced atomically.
 * See manifest.ts for the format and atomic.ts for crash safety.
 */
export { checkpointExists, resolveCheckpointDir, writeFileAtomic } from './atomic.js';
export { crc32, nonFiniteCount } from './binary.js';
export { type HostDType, type HostTensor, readTensor, toTensor } from './host-tensor.js';
export {
  createModelFromManifest,
  type LoadedCheckpoint,
  type LoadModelOptions,
  loadCheckpoint,
  loadModel,
  readManifest,
  restoreVariables,
  type WarningHandler,
} from './load.js';
export {
  acquireLock,
  describeHolder,
  type FileLock,
  isProcessRunning,
  isStale,
  type LockHolder,
  type LockOptions,
  lockFile,
} from './lock.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  checkpointManifestSchema,
  RNG_SCHEME,
  type TensorSpec,
} from './manifest.js';
export {
  type CheckpointContents,
  OPTIMIZER_FILE,
  type OptimizerStateEntry,
  WEIGHTS_FILE,
  writeCheckpoint,
} from './save.js';
