/**
 * The genzoo half of the `speed` suite: speed/genzoo.mjs trains a workload through runRecipe with the
 * requested workers and reports the loop's throughput after the warm-up steps; the suite lists every
 * workload and the ceiling.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { WORKLOADS } from '../speed/workloads.mjs';
// @ts-expect-error plain ESM module without types
import { entries } from '../suites/speed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function measure(spec: Record<string, unknown>): Record<string, number | string> {
  const run = spawnSync(process.execPath, [join(root, 'speed', 'genzoo.mjs'), JSON.stringify(spec)], {
    encoding: 'utf8',
    cwd: join(root, '..'),
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '').rows[0];
}

describe('speed suite: genzoo', () => {
  it('times the training loop after the warm-up, with 1 and 2 workers', () => {
    for (const workers of [1, 2]) {
      const row = measure({ workload: 'realnvp-2d', workers, steps: 6, warmup: 2 });
      expect(row.workers).toBe(workers);
      expect(row.timed_steps).toBe(3);
      expect(row.batch).toBe(256);
      expect(row.examples_per_second).toBeGreaterThan(0);
    }
  }, 120_000);

  it('has an entry per workload, and the ceiling', () => {
    const ids = entries({ quick: true }).map((e: { id: string }) => e.id);
    expect(ids).toEqual([...WORKLOADS.map((w: { id: string }) => `speed/${w.id}`), 'ceiling/matmul']);
  });

  it('refuses an unknown workload, naming the known ones', () => {
    const run = spawnSync(process.execPath, [join(root, 'speed', 'genzoo.mjs'), '{"workload":"nope"}'], {
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('unknown workload "nope"; expected one of mlp-vae');
  });
});
