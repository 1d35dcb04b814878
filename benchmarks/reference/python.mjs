// The Python that runs the PyTorch references: Debian's python3-torch, or GENZOO_PYTHON, on an optimized
// BLAS. Debian's python3-torch links libblas.so.3, which resolves to netlib's reference BLAS unless another
// provider is installed: dense layers then run ~10× slower than a PyTorch user's. The references load
// OpenBLAS's OpenMP build (Debian's libopenblas0-openmp; the pthread build oversubscribes the cores next to
// PyTorch's own OpenMP threads) through LD_LIBRARY_PATH, and report the BLAS they ran on in their rows.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const python = process.env.GENZOO_PYTHON ?? '/usr/bin/python3';

/** Where Debian's libopenblas0-openmp puts its libblas.so.3. */
export const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

/** The environment of a reference process: OpenBLAS (OpenMP) first on the library path when installed. */
export function pythonEnv(env = process.env) {
  if (!existsSync(`${OPENBLAS_OPENMP}/libblas.so.3`)) return env;
  const path = [OPENBLAS_OPENMP, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { ...env, LD_LIBRARY_PATH: path };
}

/** Exits the process with the reason when PyTorch cannot be imported, so the entry fails and the suite goes on. */
export function requirePytorch() {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', env: pythonEnv() });
  if (probe.status !== 0) {
    console.error(
      `PyTorch is not available to ${python} (install Debian's python3-torch, or set GENZOO_PYTHON)`,
    );
    process.exit(1);
  }
}
