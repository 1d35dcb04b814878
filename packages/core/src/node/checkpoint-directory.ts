/**
 * Checkpoints in a folder (`checkpointDirectory`): manifest.json, weights.bin and optimizer.bin, replaced
 * so that a crash at any moment leaves a loadable checkpoint, and read so that a hostile folder cannot
 * make the loader read anything but its own regular files.
 *
 * Writing.
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
 *
 * Reading. A checkpoint may come from anyone; besides what the loader checks (load.ts), every file must
 * be a regular file directly in the folder: symbolic links are refused, even ones that stay inside the
 * folder (genzoo never writes them; copy a checkpoint with links dereferenced), and so are directories,
 * FIFOs and devices, which are never opened (the type comes from lstat; the open itself follows no link
 * and does not block, so a file swapped in meanwhile is caught by fstat on the opened file). Sizes come
 * from fstat on the opened file and go to the loader's check before reading; then exactly the bytes it
 * asks for are read from the same descriptor.
 */
import { constants as bufferConstants } from 'node:buffer';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  type CheckpointFile,
  type CheckpointReader,
  type CheckpointStorage,
  fileLocation,
  MANIFEST_FILE,
} from '../checkpoint/storage.js';
import { CheckpointError } from '../errors.js';
import { isProcessRunning, writerTag } from './lock.js';

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

// O_NOFOLLOW: a symbolic link swapped in after the lstat check fails to open instead of being followed.
// O_NONBLOCK: a FIFO swapped in opens at once instead of waiting for a writer (fstat then refuses it).
// Windows has neither flag; there the lstat check stands alone.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** readSync reads at most 2 GiB − 1 bytes per call. */
const READ_CHUNK_BYTES = 1024 ** 3;

function notRegularFile(path: string, stats: Stats): CheckpointError {
  if (stats.isSymbolicLink()) {
    return new CheckpointError(
      `${path} is a symbolic link; a checkpoint's files must be regular files, and links are not followed`,
    );
  }
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a FIFO'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : stats.isSocket()
          ? 'a socket'
          : 'something else';
  return new CheckpointError(`${path} is ${kind}, not a regular file`);
}

function fileSystemError(path: string, error: unknown): CheckpointError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CheckpointError(`checkpoint file ${path} is missing`, { cause: error });
  if (code === 'ELOOP') {
    return new CheckpointError(
      `${path} is a symbolic link; a checkpoint's files must be regular files, and links are not followed`,
      { cause: error },
    );
  }
  return new CheckpointError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
}

/**
 * Opens `path` (a file directly in the checkpoint folder) for reading if it is a regular file, without
 * following a symbolic link or opening anything else; returns the descriptor and fstat's size. `shown`
 * names the file in errors.
 */
function openRegularFile(path: string, shown: string): { fd: number; size: number } {
  let linkStats: Stats;
  try {
    linkStats = lstatSync(path);
  } catch (error) {
    throw fileSystemError(shown, error);
  }
  if (!linkStats.isFile()) throw notRegularFile(shown, linkStats);
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw fileSystemError(shown, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notRegularFile(shown, stats);
    return { fd, size: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads bytes 0..length of the open file; never more, and fails if the file ends sooner. */
function readExactly(fd: number, length: number, shown: string): Uint8Array {
  if (length > bufferConstants.MAX_LENGTH) {
    throw new CheckpointError(
      `${shown} has ${length} bytes, more than this Node.js holds in one buffer (${bufferConstants.MAX_LENGTH})`,
    );
  }
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, bytes, done, Math.min(length - done, READ_CHUNK_BYTES), done);
    if (read === 0) {
      throw new CheckpointError(
        `${shown} is truncated: it ended after ${done} of ${length} bytes while being read`,
      );
    }
    done += read;
  }
  return bytes;
}

/** Whether `name` names a file directly in a folder (no separators, not `.` or `..`). */
function isPlainName(name: string): boolean {
  return name.length > 0 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..';
}

/** A reader of the checkpoint in the folder `dir`. */
function directoryReader(dir: string, warnings: readonly string[]): CheckpointReader {
  return {
    location: dir,
    warnings,
    async read(name, check) {
      const shown = fileLocation(dir, name);
      if (!isPlainName(name)) {
        throw new CheckpointError(
          `${JSON.stringify(name)} is not a file name in the checkpoint folder ${dir}`,
        );
      }
      const { fd, size } = openRegularFile(join(dir, name), shown);
      try {
        return readExactly(fd, check(size), shown);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/**
 * The checkpoint in the folder `dir` (manifest.json, weights.bin, optimizer.bin). Writing replaces the
 * folder at once, as described above; reading falls back to `<dir>.previous` after an interrupted save,
 * with a warning, and reads only regular files of the folder. For `loadModel`, `loadCheckpoint`,
 * `saveCheckpoint` and the Trainer's `checkpoints`.
 */
export function checkpointDirectory(dir: string): CheckpointStorage {
  return {
    location: dir,
    async open() {
      if (entryExists(join(dir, MANIFEST_FILE))) return directoryReader(dir, []);
      const previous = previousPath(dir);
      if (entryExists(join(previous, MANIFEST_FILE))) {
        return directoryReader(previous, [
          `the last save to ${dir} was interrupted; reading the previous checkpoint ${previous}`,
        ]);
      }
      return undefined;
    },
    async write(files: readonly CheckpointFile[]) {
      for (const [name] of files) {
        if (!isPlainName(name)) {
          throw new CheckpointError(`cannot write ${dir}: ${JSON.stringify(name)} is not a plain file name`);
        }
      }
      // The manifest last, whatever the order given: a folder with a manifest has all its files.
      const ordered = [
        ...files.filter(([name]) => name !== MANIFEST_FILE),
        ...files.filter(([name]) => name === MANIFEST_FILE),
      ];
      replaceDirectory(dir, (temp) => {
        for (const [name, bytes] of ordered) writeFileSynced(join(temp, name), bytes);
      });
    },
  };
}
