/**
 * Replacing a checkpoint directory so that a crash at any moment leaves a loadable checkpoint.
 *
 * The new checkpoint is written to `<dir>.saving-<pid>-<random>` (same parent, so renames stay on one file
 * system; a name of its own per writer, so two writers never write into one folder) and synced; then the
 * old one is renamed to `<dir>.previous`, the new one renamed to `<dir>`, and the old one deleted. Two
 * writers replacing the same `<dir>` at once would still race on `<dir>.previous`: whoever writes a
 * checkpoint that others may also write holds a lock (see lock.ts), as run folders and the classifier
 * cache do. The states a crash can leave, and what reading does with them:
 *
 * 1. `<dir>` old, a `<dir>.saving-…` partial: `<dir>` is read; the next save deletes the leftover once
 *    its writer's process is gone.
 * 2. no `<dir>`, `<dir>.previous` old, `<dir>.saving` complete: `<dir>.previous` is read.
 * 3. `<dir>` new, `<dir>.previous` old: `<dir>` is read; the next save deletes the leftover.
 *
 * The manifest is written last, so a directory with a manifest has all its files.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors.js';
import { isProcessRunning, writerTag } from './lock.js';

export const MANIFEST_FILE = 'manifest.json';

/** This writer's temporary folder for a new `dir`. */
export function savingPath(dir: string): string {
  return `${dir}.saving-${writerTag()}`;
}

/** Deletes the temporary folders of earlier saves to `dir` whose writer no longer runs. */
function removeAbandonedSaves(dir: string): void {
  const prefix = `${basename(dir)}.saving-`;
  let names: string[];
  try {
    names = readdirSync(dirname(dir));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && isProcessRunning(pid)) continue;
    rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
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

/**
 * Replaces the file at `path` all at once: readers see the old content or the new, never a part (a
 * temporary file of this writer's own, synced, then renamed over `path`).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temp = `${path}.${writerTag()}.tmp`;
  try {
    writeFileSynced(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
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
  removeAbandonedSaves(dir);
  mkdirSync(saving);
  try {
    write(saving);
    syncDirectory(saving);
  } catch (error) {
    rmSync(saving, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(dir)) {
    rmSync(previous, { recursive: true, force: true });
    renameSync(dir, previous);
  }
  renameSync(saving, dir);
  syncDirectory(dirname(dir));
  rmSync(previous, { recursive: true, force: true });
}

/**
 * Whether a directory entry exists, without following a symbolic link: a manifest that is a link is
 * found here and refused by the loader, whether or not its target exists (nothing about the target leaks).
 */
function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory that holds the checkpoint `dir`: `dir` itself, or `<dir>.previous` when a save was
 * interrupted between setting the old checkpoint aside and moving the new one in.
 */
export function resolveCheckpointDir(dir: string): string {
  if (entryExists(join(dir, MANIFEST_FILE))) return dir;
  const previous = previousPath(dir);
  if (entryExists(join(previous, MANIFEST_FILE))) return previous;
  throw new CheckpointError(`no checkpoint at ${dir}: ${join(dir, MANIFEST_FILE)} does not exist`);
}

/** Whether `dir` (or its interrupted-save fallback) holds a checkpoint. */
export function checkpointExists(dir: string): boolean {
  return entryExists(join(dir, MANIFEST_FILE)) || entryExists(join(previousPath(dir), MANIFEST_FILE));
}
