/**
 * Where checkpoints live. A checkpoint is a few named files (manifest.json, weights.bin, optimizer.bin);
 * encoding and validating them is the same everywhere (save.ts, load.ts), only storing the bytes differs:
 * a folder on disk (`checkpointDirectory` of `@genzoo/core/node`), IndexedDB in a browser
 * (indexeddb.ts), or memory (memory.ts: bytes a user picked, or bytes to offer as downloads).
 */

import { CheckpointError } from '../errors.js';

/** The checkpoint's manifest; a stored checkpoint without one does not exist. */
export const MANIFEST_FILE = 'manifest.json';

/** One file of a checkpoint: a plain name (no folders) and its bytes. */
export type CheckpointFile = readonly [name: string, bytes: Uint8Array];

/** Where a checkpoint lives: a folder (Node), IndexedDB or memory (browser), … */
export interface CheckpointStorage {
  /** For messages: a folder path, `indexeddb:<db>/<key>`, `memory`. */
  readonly location: string;
  /** The stored checkpoint for reading, or undefined when there is none. */
  open(): Promise<CheckpointReader | undefined>;
  /**
   * Replaces the stored checkpoint with `files` at once: a reader sees all old or all new files, and a
   * write that fails leaves the old checkpoint as it was. The manifest comes last in `files`.
   */
  write(files: readonly CheckpointFile[]): Promise<void>;
}

/** One stored checkpoint, opened for reading. */
export interface CheckpointReader {
  /** What is actually read (e.g. `<dir>.previous` after an interrupted save). */
  readonly location: string;
  /** Things worth telling the user that do not prevent reading (e.g. that a save was interrupted). */
  readonly warnings: readonly string[];
  /**
   * One file's bytes; `check(size)` sees the stored size first and returns how many bytes to read (at
   * most `size`), or throws. Throws a CheckpointError naming the file when it is missing.
   */
  read(name: string, check: (size: number) => number): Promise<Uint8Array>;
}

/** How messages name the file `name` of a checkpoint read from `location`. */
export function fileLocation(location: string, name: string): string {
  return `${location}/${name}`;
}

/** A reader of files already in memory (a memory storage's, an IndexedDB record's). */
export function filesReader(location: string, files: ReadonlyMap<string, Uint8Array>): CheckpointReader {
  return {
    location,
    warnings: [],
    async read(name, check) {
      const bytes = files.get(name);
      if (!bytes) throw new CheckpointError(`checkpoint file ${fileLocation(location, name)} is missing`);
      return bytes.subarray(0, check(bytes.byteLength));
    },
  };
}
