// Runs a PyTorch reference implementation (Debian's python3-torch) and passes its JSON result through.
// When PyTorch is not installed the entry fails with the reason, and the rest of the suite still runs.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { script, args } = JSON.parse(process.argv[2] ?? '{}');
const python = process.env.GENZOO_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(
    `PyTorch is not available to ${python} (install Debian's python3-torch, or set GENZOO_PYTHON)`,
  );
  process.exit(1);
}
const flags = Object.entries(args ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]);
const run = spawnSync(python, [join(here, script), ...flags], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.stdout.write(run.stdout);
process.exit(run.status ?? 1);
