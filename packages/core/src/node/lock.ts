/**
 * Advisory locks on files and folders that one process at a time may write: a run folder, a cached
 * reference classifier.
 *
 * A lock is a small JSON file naming its holder (pid, host, the holder's process start time where the
 * system tells it, what it is doing, since when). It is created complete and exclusively: the JSON goes
 * to a temporary file that is then hard-linked to the lock's name, and `link` fails when the name exists,
 * so two writers can never both believe they hold it and nobody ever reads a half-written lock.
 *
 * A lock whose holder is gone (a `kill -9`, a power cut) is stale. On the holder's own host that is
 * decided, not guessed: the pid no longer runs, or it runs but started at another time (the pid was
 * reused). A stale lock is broken by renaming it aside and checking that what was renamed is the lock
 * that was judged stale (if another process replaced it in between, it is put back). Locks held from
 * another host are never broken: the error names the holder so a person can decide.
 */
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { LockError } from '../errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder's process started, as /proc tells it (Linux); absent elsewhere. */
  processStart?: string;
  /** What the holder is doing, e.g. `genzoo train vae`. */
  purpose: string;
  /** ISO 8601 time the lock was taken. */
  since: string;
}

export interface FileLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still this one (idempotent). */
  release(): void;
}

export interface LockOptions {
  /** What the holder is doing, shown to whoever finds the lock held. */
  purpose: string;
  /**
   * Wait for a live holder instead of failing: poll every `pollMs` until `timeoutMs` has passed, calling
   * `onWait` once with the holder when waiting starts.
   */
  wait?: { timeoutMs: number; pollMs?: number; onWait?: (holder: LockHolder | undefined) => void };
}

/** The start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), if known. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; count fields after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}

/**
 * `<pid>-<random>`: a name part no other writer uses, for temporary files and folders beside shared ones
 * (the pid also lets a later writer tell whether the one who left it is still running).
 */
export function writerTag(): string {
  return `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Whether process `pid` runs on this host. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): { text: string; holder?: LockHolder } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (typeof holder.pid === 'number' && typeof holder.host === 'string') return { text, holder };
  } catch {
    // Not a genzoo lock: reported as held by an unknown writer, never broken.
  }
  return { text };
}

/** Whether the holder is known to be gone: same host, and its pid is not running or was reused. */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (!isProcessRunning(holder.pid)) return true;
  if (holder.processStart === undefined) return false;
  const start = processStartOf(holder.pid);
  return start !== undefined && start !== holder.processStart;
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'an unknown writer (the lock file is not a genzoo lock)';
  return `${holder.purpose} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
}

function heldError(path: string, holder: LockHolder | undefined, waitedMs?: number): LockError {
  const waited = waitedMs === undefined ? '' : ` after waiting ${Math.round(waitedMs / 1000)} s`;
  return new LockError(
    `${path} is locked by ${describeHolder(holder)}${waited}; if that process is gone for good ` +
      '(e.g. it ran on another machine), delete the lock file',
  );
}

/** Renames a stale lock aside, checking it is still the stale one; true when the name is free now. */
function breakStale(path: string, staleText: string): boolean {
  const aside = `${path}.stale-${writerTag()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  if (readFileSync(aside, 'utf8') === staleText) {
    rmSync(aside, { force: true });
    return true;
  }
  // Another process took the lock between our read and the rename: give it back.
  try {
    linkSync(aside, path);
  } catch {
    // A third process holds the name now; the lock we moved is lost to its owner, who finds it gone.
  }
  rmSync(aside, { force: true });
  return false;
}

function tryCreate(path: string, holder: LockHolder): boolean {
  const temp = `${path}.${writerTag()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function newHolder(purpose: string): LockHolder {
  const processStart = processStartOf(process.pid);
  return {
    pid: process.pid,
    host: hostname(),
    ...(processStart !== undefined ? { processStart } : {}),
    purpose,
    since: new Date().toISOString(),
  };
}

function lockOf(path: string, holder: LockHolder): FileLock {
  const text = `${JSON.stringify(holder)}\n`;
  let released = false;
  return {
    path,
    holder,
    release() {
      if (released) return;
      released = true;
      // Only our own lock is removed: after a stale-lock takeover (this process was judged gone) the
      // file may belong to someone else.
      if (readHolder(path)?.text === text) rmSync(path, { force: true });
    },
  };
}

/** One attempt: the lock, or the live holder that has it. */
function attempt(path: string, holder: LockHolder): FileLock | { holder: LockHolder | undefined } {
  for (let tries = 0; tries < 5; tries++) {
    if (tryCreate(path, holder)) return lockOf(path, holder);
    const found = readHolder(path);
    if (!found) continue;
    if (!found.holder || !isStale(found.holder)) return { holder: found.holder };
    breakStale(path, found.text);
  }
  return { holder: readHolder(path)?.holder };
}

/** Takes the lock at `path` now, or throws a LockError naming its holder. */
export function lockFile(path: string, options: Omit<LockOptions, 'wait'>): FileLock {
  const result = attempt(path, newHolder(options.purpose));
  if ('release' in result) return result;
  throw heldError(path, result.holder);
}

/** Takes the lock at `path`, waiting for a live holder when `options.wait` says so. */
export async function acquireLock(path: string, options: LockOptions): Promise<FileLock> {
  const holder = newHolder(options.purpose);
  const start = Date.now();
  let told = false;
  for (;;) {
    const result = attempt(path, holder);
    if ('release' in result) return result;
    const { wait } = options;
    const waited = Date.now() - start;
    if (!wait || waited >= wait.timeoutMs) throw heldError(path, result.holder, wait ? waited : undefined);
    if (!told) {
      told = true;
      wait.onWait?.(result.holder);
    }
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 500));
  }
}
