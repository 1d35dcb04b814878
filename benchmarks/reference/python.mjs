// The Python that runs the PyTorch references: Debian's python3-torch, or GENZOO_PYTHON.
import { spawnSync } from 'node:child_process';

export const python = process.env.GENZOO_PYTHON ?? '/usr/bin/python3';

/** Exits the process with the reason when PyTorch cannot be imported, so the entry fails and the suite goes on. */
export function requirePytorch() {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.error(
      `PyTorch is not available to ${python} (install Debian's python3-torch, or set GENZOO_PYTHON)`,
    );
    process.exit(1);
  }
}
