/**
 * Checkpoints: manifest.json, weights.bin and optimizer.bin, encoded and validated here and kept by a
 * CheckpointStorage (storage.ts): memory, IndexedDB, or a folder through `@genzoo/core/node`.
 * See manifest.ts for the format.
 */
export { crc32, nonFiniteCount } from './binary.js';
export { type HostDType, type HostTensor, readTensor, toTensor } from './host-tensor.js';
export {
  INDEXEDDB_STORE,
  type IndexedDbCheckpointStorageOptions,
  type IndexedDbFactory,
  indexedDbCheckpointStorage,
} from './indexeddb.js';
export {
  createModelFromManifest,
  type LoadedCheckpoint,
  type LoadModelOptions,
  loadCheckpoint,
  loadModel,
  MAX_MANIFEST_BYTES,
  readManifest,
  restoreVariables,
  type WarningHandler,
} from './load.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  checkpointManifestSchema,
  RNG_SCHEME,
  type TensorSpec,
  tensorSpecSchema,
} from './manifest.js';
export {
  type MemoryCheckpointStorage,
  type MemoryCheckpointStorageOptions,
  memoryCheckpointStorage,
} from './memory.js';
export {
  type CheckpointContents,
  type EncodedCheckpoint,
  encodeCheckpoint,
  OPTIMIZER_FILE,
  type OptimizerStateEntry,
  saveCheckpoint,
  WEIGHTS_FILE,
} from './save.js';
export {
  type CheckpointFile,
  type CheckpointReader,
  type CheckpointStorage,
  MANIFEST_FILE,
} from './storage.js';
