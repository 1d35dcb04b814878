/** Advisory locks: exclusive, stale-lock takeover on this host only, waiting, and release of one's own. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LockError } from '../src/errors.js';
import { acquireLock, type LockHolder, lockFile } from '../src/node/lock.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const holder = (fields: Partial<LockHolder>): string =>
  JSON.stringify({
    pid: 1,
    host: hostname(),
    purpose: 'genzoo train other',
    since: '2026-01-01T00:00:00Z',
    ...fields,
  });

describe('lockFile', () => {
  it('is exclusive while held, names the holder, and is free again after release', () => {
    const path = join(root, 'exclusive.lock');
    const lock = lockFile(path, { purpose: 'genzoo train vae' });
    const held = JSON.parse(readFileSync(path, 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'genzoo train vae' });
    expect(() => lockFile(path, { purpose: 'second' })).toThrow(LockError);
    expect(() => lockFile(path, { purpose: 'second' })).toThrow(
      `${path} is locked by genzoo train vae (pid ${process.pid} on ${hostname()}`,
    );
    lock.release();
    expect(existsSync(path)).toBe(false);
    lockFile(path, { purpose: 'third' }).release();
    expect(readdirSync(root).filter((n) => n.startsWith('exclusive'))).toEqual([]);
  });

  it('takes over a lock whose process has exited', () => {
    const path = join(root, 'stale.lock');
    const dead = spawnSync('true').pid as number;
    writeFileSync(path, holder({ pid: dead }));
    const lock = lockFile(path, { purpose: 'after a kill -9' });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock whose pid was reused by a process started at another time', () => {
    const path = join(root, 'reused.lock');
    writeFileSync(path, holder({ pid: process.pid, processStart: '1' }));
    lockFile(path, { purpose: 'pid reused' }).release();
  });

  it('never breaks a live holder or one on another host, and never reads a foreign file as stale', () => {
    const path = join(root, 'live.lock');
    writeFileSync(path, holder({ pid: process.ppid }));
    expect(() => lockFile(path, { purpose: 'x' })).toThrow(`pid ${process.ppid} on ${hostname()}`);
    writeFileSync(path, holder({ pid: spawnSync('true').pid as number, host: 'elsewhere.example' }));
    expect(() => lockFile(path, { purpose: 'x' })).toThrow('on elsewhere.example');
    writeFileSync(path, 'not json');
    expect(() => lockFile(path, { purpose: 'x' })).toThrow('an unknown writer');
    expect(readFileSync(path, 'utf8')).toBe('not json');
  });

  it('release leaves a lock that is no longer its own', () => {
    const path = join(root, 'taken.lock');
    const lock = lockFile(path, { purpose: 'judged gone' });
    writeFileSync(path, holder({ pid: process.ppid }));
    lock.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.ppid);
  });
});

describe('acquireLock', () => {
  it('waits for a live holder in another process, telling whom it waits for', async () => {
    const path = join(root, 'wait.lock');
    // Another process holds the lock for half a second.
    const child = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(path)}, JSON.stringify({ pid: process.pid, host: require('os').hostname(), purpose: 'training the classifier', since: '' })); setTimeout(() => fs.rmSync(${JSON.stringify(path)}), 500);`,
    ]);
    const exited = new Promise((r) => child.once('exit', r));
    while (!existsSync(path)) await new Promise((r) => setTimeout(r, 10));
    const told: string[] = [];
    const start = Date.now();
    const lock = await acquireLock(path, {
      purpose: 'second scorer',
      wait: { timeoutMs: 10_000, pollMs: 20, onWait: (h) => void told.push(h?.purpose ?? '') },
    });
    expect(Date.now() - start).toBeGreaterThan(300);
    expect(told).toEqual(['training the classifier']);
    lock.release();
    await exited;
  });

  it('gives up after the timeout, naming the holder and the wait', async () => {
    const path = join(root, 'timeout.lock');
    writeFileSync(path, holder({ pid: process.ppid }));
    await expect(acquireLock(path, { purpose: 'x', wait: { timeoutMs: 100, pollMs: 20 } })).rejects.toThrow(
      /after waiting 0 s/,
    );
  });
});
