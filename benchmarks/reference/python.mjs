// The Python that runs the PyTorch references: Debian's python3-torch, or GENZOO_PYTHON, on an optimized
// BLAS. Debian's python3-torch links libblas.so.3, which resolves to netlib's reference BLAS unless another
// provider is installed: dense layers then run ~10× slower than a PyTorch user's. The references load
// OpenBLAS's OpenMP build (Debian's libopenblas0-openmp; the pthread build oversubscribes the cores next to
// PyTorch's own OpenMP threads) through LD_LIBRARY_PATH, and report the BLAS they ran on in their rows.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

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

/**
 * Runs `benchmarks/reference/<script>` with `flags` (each `--key value`) on the reference environment and
 * returns the JSON object on its last stdout line; exits with the script's status when it fails.
 */
export function runReferenceScript(script, flags) {
  const run = spawnSync(
    python,
    [join(here, script), ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26, env: pythonEnv() },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

/**
 * The float32 samples a reference script wrote to `file`, and the classes of a conditional model's samples
 * (`<file>.labels` present: one byte per sample, which must be i mod classes — the order genzoo's scorer
 * asks for classes in), else undefined.
 */
export function readReferenceSamples(file, numClasses) {
  const samples = new Float32Array(readFileSync(file).buffer.slice(0));
  const labelsFile = `${file}.labels`;
  const conditional = existsSync(labelsFile) ? numClasses : undefined;
  if (conditional !== undefined) {
    const labels = readFileSync(labelsFile);
    const bad = labels.findIndex((label, i) => label !== i % conditional);
    if (bad >= 0)
      throw new Error(`${labelsFile}: sample ${bad} has label ${labels[bad]}, expected ${bad % conditional}`);
  }
  return { samples, conditional };
}
