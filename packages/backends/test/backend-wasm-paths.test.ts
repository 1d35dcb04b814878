/**
 * Where the wasm binaries are: `initBackend({ wasmPaths })` says it, and when they are not there the error
 * names the files and where they were looked for, instead of blaming the install. Each case runs in a
 * process of its own, since tfjs keeps a backend's failed initialization for the life of the process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built package, as an app loads it (CI builds before it tests). */
const core = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const wasmDist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));

/** Forces wasm with the given paths in a fresh process. */
function forceWasm(wasmPaths: string): { status: number | null; out: string } {
  const script = `
    import { initBackend } from ${JSON.stringify(core)};
    try {
      const info = await initBackend({ force: 'wasm', quiet: true, wasmPaths: ${JSON.stringify(wasmPaths)} });
      console.log('backend ' + info.name);
    } catch (error) {
      console.log(String(error.message));
      process.exit(3);
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, GENZOO_BACKEND: '' },
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('initBackend({ wasmPaths })', () => {
  it('loads the binaries from the folder it is given', () => {
    const run = forceWasm(`${wasmDist}/`);
    expect(run.out).toContain('backend wasm');
    expect(run.status).toBe(0);
  });

  it('names the missing binaries and the folder when they are not there', () => {
    const empty = `${mkdtempSync(join(tmpdir(), 'genzoo-no-wasm-'))}/`;
    const run = forceWasm(empty);
    expect(run.status).toBe(3);
    expect(run.out).toContain('tfjs-backend-wasm.wasm or tfjs-backend-wasm-simd.wasm');
    expect(run.out).toContain(`under ${empty}`);
    expect(run.out).toContain('initBackend({ wasmPaths })');
  });
});
