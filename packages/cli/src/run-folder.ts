/**
 * A run folder belongs to one run, and a command that writes it holds its lock (`.genzoo.lock`, see
 * `lockFile` of @genzoo/core/node): two `train`s or a `train` and a `resume` never write one folder at
 * once, and the second is told which process has it.
 *
 * `train --out` into a folder that holds a run is refused; with `--overwrite` the old run is moved into
 * `.previous-run/` inside the folder and deleted only once the new run has written its first checkpoint.
 * Until then the old run can always be had back:
 *
 * - the new run fails (an error, a NaN): its files are removed and the old run is moved back;
 * - the process is killed: the next command that takes the folder finds `.previous-run/` without a new
 *   checkpoint and moves the old run back (with a warning); with a new checkpoint, it finishes the
 *   replacement by deleting `.previous-run/`.
 *
 * A new run that fails before its first checkpoint leaves the folder as it found it (absent or empty).
 * A resumed run deletes the stale result.json at its first checkpoint; result.json is written last, so a
 * run folder with a result.json holds a finished run whose checkpoint the result describes.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type CheckpointManifest, RunFolderError, readManifest, type TrainerCallback } from '@genzoo/core';
import { checkpointDirectory, checkpointExists, type FileLock, lockFile } from '@genzoo/core/node';
import { PREVIOUS_RUN_DIR, runPaths } from './setup.js';

export const RUN_LOCK_FILE = '.genzoo.lock';
/** Where the old run's files gather while they are moved; renamed to PREVIOUS_RUN_DIR when all are in. */
const MOVING_DIR = '.previous-run.moving';

/** Entries that are the folder's bookkeeping, not a run's files. */
function isBookkeeping(name: string): boolean {
  return (
    name === RUN_LOCK_FILE ||
    name.startsWith(`${RUN_LOCK_FILE}.`) ||
    name === PREVIOUS_RUN_DIR ||
    name === MOVING_DIR
  );
}

function runEntries(dir: string): string[] {
  return readdirSync(dir).filter((name) => !isBookkeeping(name));
}

/** Whether the entries are a genzoo run's (a checkpoint, its metrics log or its result). */
function looksLikeRun(dir: string, entries: readonly string[]): boolean {
  const paths = runPaths(dir);
  return (
    checkpointExists(paths.checkpoint) ||
    entries.some((name) => [paths.metrics, paths.result].includes(join(dir, name)))
  );
}

/** One line about the run in `dir`, for refusals. */
async function describeRun(dir: string): Promise<string> {
  const paths = runPaths(dir);
  if (!checkpointExists(paths.checkpoint)) {
    return 'the log of a run that stopped before its first checkpoint (nothing to resume)';
  }
  let manifest: CheckpointManifest;
  try {
    manifest = await readManifest(checkpointDirectory(paths.checkpoint));
  } catch {
    return 'a run whose checkpoint cannot be read';
  }
  const dataset = (manifest.run as { dataset?: { name?: unknown } }).dataset?.name;
  const on = typeof dataset === 'string' ? ` on ${dataset}` : '';
  const finished = existsSync(paths.result) ? 'finished' : 'checkpointed';
  return `a run of ${manifest.model.name}${on}, ${finished} at step ${manifest.state.step}`;
}

/** A file-system error while creating or locking `path`, in words (read-only file system, permissions, …). */
function explainFsError(dir: string, path: string, error: unknown): RunFolderError {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EROFS: `${dirname(path)} is on a read-only file system`,
    EACCES: `permission denied in ${dirname(path)}`,
    EPERM: `${dirname(path)} does not allow new files or folders`,
    // A kernel file system such as /proc answers ENOENT for a folder that cannot be made.
    ENOENT: `${dirname(path)} does not allow new files or folders`,
    ENOTDIR: `${dirname(path)} is a file, not a folder`,
    ENOSPC: 'no space left on the device',
  };
  const reason = (code && reasons[code]) ?? (error as Error).message;
  return new RunFolderError(`cannot write the run folder ${dir}: ${reason} (${code})`, { cause: error });
}

/**
 * Creates `dir` and its missing parents one level at a time. (Node's recursive mkdir retries forever
 * where a file system answers ENOENT to every mkdir, as /proc does; one level at a time, the first
 * refusal is the answer.)
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  let path = resolve(dir);
  while (!existsSync(path)) {
    missing.unshift(path);
    path = dirname(path);
  }
  if (!statSync(path).isDirectory()) {
    throw new RunFolderError(`cannot write the run folder ${dir}: ${path} is a file, not a folder`);
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(folder).isDirectory()) continue;
      throw explainFsError(dir, folder, error);
    }
  }
}

function moveEntries(from: string, to: string, names: readonly string[]): void {
  mkdirSync(to, { recursive: true });
  for (const name of names) renameSync(join(from, name), join(to, name));
}

export class RunFolder {
  private committed = false;

  private constructor(
    readonly dir: string,
    private readonly lock: FileLock,
    /** Whether this command created the folder (a failed first run then removes it). */
    private readonly created: boolean,
    /** Whether an earlier run was moved into `.previous-run/` by this command. */
    private readonly replacing: boolean,
    private readonly resumed: boolean,
  ) {}

  /**
   * Takes `dir` for a new run: creates and locks it, and refuses a folder that holds anything unless
   * `overwrite` (and then only a genzoo run's folder, which is set aside until the first checkpoint).
   */
  static async forNewRun(
    dir: string,
    options: { overwrite: boolean; purpose: string; onWarning: (message: string) => void },
  ): Promise<RunFolder> {
    const created = !existsSync(dir);
    const lock = RunFolder.take(dir, options.purpose);
    try {
      RunFolder.recover(dir, options.onWarning);
      const entries = runEntries(dir);
      if (entries.length === 0) return new RunFolder(dir, lock, created, false, false);
      if (!looksLikeRun(dir, entries)) {
        throw new RunFolderError(
          `--out ${dir} is not empty and holds no genzoo run (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); ` +
            'choose an empty or new folder (--overwrite only replaces a genzoo run)',
        );
      }
      if (!options.overwrite) {
        throw new RunFolderError(
          `--out ${dir} holds ${await describeRun(dir)}; pass --overwrite to replace it (it is kept until ` +
            `the new run's first checkpoint), choose another --out, or continue it with \`genzoo resume ${dir}\``,
        );
      }
      // Moved one by one into MOVING_DIR, then set aside by one rename: a crash in between leaves
      // MOVING_DIR, which recover() moves back, never a half-moved run taken for a whole one.
      moveEntries(dir, join(dir, MOVING_DIR), entries);
      renameSync(join(dir, MOVING_DIR), join(dir, PREVIOUS_RUN_DIR));
      return new RunFolder(dir, lock, created, true, false);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Takes `dir` (which holds a checkpoint) to continue its run. */
  static forResume(
    dir: string,
    options: { purpose: string; onWarning: (message: string) => void },
  ): RunFolder {
    const lock = RunFolder.take(dir, options.purpose);
    try {
      RunFolder.recover(dir, options.onWarning);
      return new RunFolder(dir, lock, false, false, true);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  private static take(dir: string, purpose: string): FileLock {
    makeFolder(dir);
    const lock = join(dir, RUN_LOCK_FILE);
    try {
      return lockFile(lock, { purpose });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === undefined) throw error;
      throw explainFsError(dir, lock, error);
    }
  }

  /** Finishes or undoes an `--overwrite` that a killed process left half done. */
  private static recover(dir: string, onWarning: (message: string) => void): void {
    const moving = join(dir, MOVING_DIR);
    if (existsSync(moving)) {
      // Killed while setting the old run aside: the new run never started.
      moveEntries(moving, dir, readdirSync(moving));
      rmSync(moving, { recursive: true, force: true });
    }
    const previous = join(dir, PREVIOUS_RUN_DIR);
    if (!existsSync(previous)) return;
    if (checkpointExists(runPaths(dir).checkpoint)) {
      rmSync(previous, { recursive: true, force: true });
      return;
    }
    for (const name of runEntries(dir)) rmSync(join(dir, name), { recursive: true, force: true });
    moveEntries(previous, dir, readdirSync(previous));
    rmSync(previous, { recursive: true, force: true });
    onWarning(
      `a run that was to replace the one in ${dir} (--overwrite) stopped before its first checkpoint; ` +
        'the earlier run was put back',
    );
  }

  /** The Trainer callback that completes the replacement at the first checkpoint. */
  callback(): TrainerCallback {
    return { onCheckpoint: () => this.commit() };
  }

  private commit(): void {
    if (this.committed) return;
    this.committed = true;
    if (this.replacing) rmSync(join(this.dir, PREVIOUS_RUN_DIR), { recursive: true, force: true });
    // The resumed run's state has moved past what result.json describes; a new one comes at the end.
    if (this.resumed) rmSync(runPaths(this.dir).result, { force: true });
  }

  /**
   * After a failed run: a new run without a checkpoint leaves nothing behind and puts back the run it
   * was replacing; a run with a checkpoint is kept (its last good checkpoint can be resumed).
   */
  failed(): void {
    if (this.committed || this.resumed) return;
    for (const name of runEntries(this.dir)) rmSync(join(this.dir, name), { recursive: true, force: true });
    const previous = join(this.dir, PREVIOUS_RUN_DIR);
    if (this.replacing) {
      moveEntries(previous, this.dir, readdirSync(previous));
      rmSync(previous, { recursive: true, force: true });
    }
  }

  /** Releases the lock (and removes the folder when this command created it and it is left empty). */
  release(): void {
    this.lock.release();
    if (this.created && !this.committed) {
      try {
        if (readdirSync(this.dir).length === 0) rmSync(this.dir, { recursive: true });
      } catch {
        // Someone else's files or a vanished folder: nothing of ours to tidy.
      }
    }
  }
}
