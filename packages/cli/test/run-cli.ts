/** Runs the built `genzoo` command in its own process, as a user would, and reads what it writes. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `genzoo …args` on `backend`: small runs use cpu, image-sized ones wasm (the default). One worker
 * unless `env` says otherwise: the tests' thresholds were set on undivided runs, and the test files
 * already use every core (data-parallel.test.ts tests the workers).
 */
export function genzooOn(backend: 'cpu' | 'wasm', ...args: string[]): CliRun {
  return genzooWith({ GENZOO_BACKEND: backend, GENZOO_WORKERS: '1' }, ...args);
}

/** Runs `genzoo …args` with `env` added to this process's environment. */
export function genzooWith(env: Record<string, string | undefined>, ...args: string[]): CliRun {
  const run = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The object on the last stdout line (what --json prints). */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

export function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

export function pngSize(path: string): { width: number; height: number } {
  const png = readPng(path);
  return { width: png.width, height: png.height };
}

/** The lines of a run's metrics.jsonl of one kind (`train`, `eval`): the step and the logged metrics. */
export function metricLines(path: string, kind: string): Array<Record<string, number> & { step: number }> {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((line) => line.kind === kind)
    .map((line) => ({ ...line.metrics, step: line.step }));
}

/** A small VAE and a cheap evaluation, so that a run on mnist-10k takes seconds. */
export const SMALL_VAE = [
  '--batch',
  '100',
  '--eval-limit',
  '100',
  '--eval-samples',
  '10',
  '--set',
  'network.hidden=[64]',
];
