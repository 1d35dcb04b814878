/**
 * Replacing a checkpoint directory so that a crash at any moment leaves a loadable checkpoint.
 *
 * The new checkpoint is written to `<dir>.saving` (same parent, so renames stay on one file system) and
 * synced; then the old one is renamed to `<dir>.previous`, the new one renamed to `<dir>`, and the old
 * one deleted. The states a crash can leave, and what reading does with them:
 *
 * 1. `<dir>` old, `<dir>.saving` partial: `<dir>` is read; the next save deletes the leftover.
 * 2. no `<dir>`, `<dir>.previous` old, `<dir>.saving` complete: `<dir>.previous` is read.
 * 3. `<dir>` new, `<dir>.previous` old: `<dir>` is read; the next save deletes the leftover.
 *
 * The manifest is written last, so a directory with a manifest has all its files.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointError } from '../errors.js';

export const MANIFEST_FILE = 'manifest.json';

export function savingPath(dir: string): string {
  return `${dir}.saving`;
}

export function previousPath(dir: string): string {
  return `${dir}.previous`;
}

/** Writes a file and flushes it to disk. */
export function writeFileSynced(path: string, data: Uint8Array | string): void {
  writeFileSync(path, data);
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory's entries (renames) to disk where the platform allows it. */
function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; its renames are durable on return.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Replaces `dir` by what `write` puts into the temporary directory it is given. */
export function replaceDirectory(dir: string, write: (tempDir: string) => void): void {
  const saving = savingPath(dir);
  const previous = previousPath(dir);
  mkdirSync(dirname(dir), { recursive: true });
  rmSync(saving, { recursive: true, force: true });
  mkdirSync(saving);
  write(saving);
  syncDirectory(saving);
  if (existsSync(dir)) {
    rmSync(previous, { recursive: true, force: true });
    renameSync(dir, previous);
  }
  renameSync(saving, dir);
  syncDirectory(dirname(dir));
  rmSync(previous, { recursive: true, force: true });
}

/**
 * The directory that holds the checkpoint `dir`: `dir` itself, or `<dir>.previous` when a save was
 * interrupted between setting the old checkpoint aside and moving the new one in.
 */
export function resolveCheckpointDir(dir: string): string {
  if (existsSync(join(dir, MANIFEST_FILE))) return dir;
  const previous = previousPath(dir);
  if (existsSync(join(previous, MANIFEST_FILE))) return previous;
  throw new CheckpointError(`no checkpoint at ${dir}: ${join(dir, MANIFEST_FILE)} does not exist`);
}

/** Whether `dir` (or its interrupted-save fallback) holds a checkpoint. */
export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE)) || existsSync(join(previousPath(dir), MANIFEST_FILE));
}
