/** Runs a PyTorch reference script with a suite entry's flags and --dry-run: flags checked, model built. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const python = process.env.GENZOO_PYTHON ?? '/usr/bin/python3';

/** Whether PyTorch imports here (the dry-run tests are skipped where it does not). */
export const hasTorch = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** `benchmarks/reference/<script>` with the entry's flags (minus the data folder), plus `extra`. */
export function dryRun(script: string, flags: Record<string, unknown>, extra: string[] = []) {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'reference', script);
  const argv = Object.entries(flags)
    .filter(([k]) => k !== 'data-dir')
    .flatMap(([k, v]) => [`--${k}`, String(v)]);
  return spawnSync(python, [path, ...argv, ...extra, '--dry-run'], { encoding: 'utf8' });
}
