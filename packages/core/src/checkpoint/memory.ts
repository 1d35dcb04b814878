/**
 * A checkpoint held in memory: for tests, for a browser app that trains and then offers the files as
 * downloads (`storage.files`), and for loading files a user picked (`memoryCheckpointStorage({ files })`).
 */
import {
  type CheckpointFile,
  type CheckpointReader,
  type CheckpointStorage,
  filesReader,
  MANIFEST_FILE,
} from './storage.js';

export interface MemoryCheckpointStorageOptions {
  /**
   * A checkpoint to start with, e.g. files a user picked: name → bytes, or [name, bytes] pairs.
   * Without a manifest.json among them the storage holds no checkpoint yet.
   */
  files?: Iterable<CheckpointFile> | Readonly<Record<string, Uint8Array>>;
  /** For messages (default `memory`). */
  location?: string;
}

export interface MemoryCheckpointStorage extends CheckpointStorage {
  /**
   * The files of the stored checkpoint (manifest.json, weights.bin, optimizer.bin), e.g. to offer them as
   * downloads; undefined while there is none. Each write replaces the map (the old one stays as it was).
   */
  readonly files: ReadonlyMap<string, Uint8Array> | undefined;
}

function toMap(
  files: Iterable<CheckpointFile> | Readonly<Record<string, Uint8Array>>,
): Map<string, Uint8Array> {
  const entries: Iterable<CheckpointFile> =
    Symbol.iterator in files
      ? (files as Iterable<CheckpointFile>)
      : Object.entries(files as Readonly<Record<string, Uint8Array>>);
  return new Map(entries);
}

/** A checkpoint storage in memory (see MemoryCheckpointStorageOptions). */
export function memoryCheckpointStorage(
  options: MemoryCheckpointStorageOptions = {},
): MemoryCheckpointStorage {
  const location = options.location ?? 'memory';
  let files: ReadonlyMap<string, Uint8Array> | undefined;
  if (options.files) {
    const picked = toMap(options.files);
    if (picked.has(MANIFEST_FILE)) files = picked;
  }
  return {
    location,
    get files() {
      return files;
    },
    async open(): Promise<CheckpointReader | undefined> {
      // A reader keeps the files of the checkpoint it opened, even if a write replaces them meanwhile.
      const opened = files;
      if (!opened) return undefined;
      return filesReader(location, opened);
    },
    async write(written) {
      files = new Map(written);
    },
  };
}
