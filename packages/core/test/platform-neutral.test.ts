/**
 * `@genzoo/core` runs in browsers: its module graph (src/index.ts and everything it imports) bundles for
 * the browser platform with no Node.js module, no `pngjs`, no backend package, and its sources use
 * neither `Buffer` nor `process` (other than read through `globalThis`, as nn/params.ts does). Node
 * specifics live behind `@genzoo/core/node` (src/node.ts), which is checked to stay out of that graph.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

interface BuildResult {
  errors: Array<{ text: string }>;
  warnings: Array<{ text: string }>;
  metafile: { inputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }> };
}

/** esbuild, as the repository's tsup has it (core does not depend on it itself). */
function esbuild(): { build(options: Record<string, unknown>): Promise<BuildResult> } {
  const requireHere = createRequire(join(packageDir, 'package.json'));
  return createRequire(requireHere.resolve('tsup'))('esbuild');
}

async function bundle(entry: string, platform: 'browser' | 'node'): Promise<BuildResult> {
  return esbuild()
    .build({
      entryPoints: [join(packageDir, entry)],
      absWorkingDir: packageDir,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform,
      logLevel: 'silent',
      // What core may import besides its own files (tfjs-core's subpaths included); anything else, a
      // backend package or pngjs say, is bundled and shows in the graph, and a Node.js module fails.
      external: ['@tensorflow/tfjs-core', 'zod'],
    })
    .catch((error: { errors?: Array<{ text: string }> }) => {
      if (!error.errors) throw error;
      return { errors: error.errors, warnings: [], metafile: { inputs: {} } };
    });
}

describe('the platform-neutral core', () => {
  it('bundles for the browser: no Node.js module and no package but tfjs-core and zod in its graph', async () => {
    const result = await bundle('src/index.ts', 'browser');
    expect(result.errors.map((e) => e.text)).toEqual([]);
    const sources = Object.keys(result.metafile.inputs);
    expect(sources).toContain('src/index.ts');
    const external = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.filter((i) => i.external).map((i) => i.path),
    );
    const allowed = (path: string) =>
      path === 'zod' || path === '@tensorflow/tfjs-core' || path.startsWith('@tensorflow/tfjs-core/');
    expect(external.filter((path) => !allowed(path))).toEqual([]);
    expect(external).toContain('@tensorflow/tfjs-core');
    expect(sources.filter((path) => path.includes('node_modules'))).toEqual([]);
    // Nothing of the Node entry point comes along.
    expect(sources.filter((path) => path === 'src/node.ts' || path.startsWith('src/node/'))).toEqual([]);
  });

  it('its sources use neither Buffer nor process (other than through globalThis)', async () => {
    const result = await bundle('src/index.ts', 'browser');
    const offending = Object.keys(result.metafile.inputs)
      .filter((path) => path.startsWith('src/') && path.endsWith('.ts'))
      .flatMap((path) => {
        const code = readFileSync(join(packageDir, path), 'utf8')
          // Comments may mention them.
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\/\/.*$/gm, '');
        const uses = [
          ...code.matchAll(/(?<![\w.$])process\s*(?:\?\.|\.|\[)/g),
          ...code.matchAll(/(?<![\w.$'"/-])Buffer\b/g),
        ];
        return uses.map((m) => `${path}: ${m[0]}`);
      });
    expect(offending).toEqual([]);
  });

  it('the Node entry point bundles for Node', async () => {
    const result = await bundle('src/node.ts', 'node');
    expect(result.errors.map((e) => e.text)).toEqual([]);
    expect(Object.keys(result.metafile.inputs)).toContain('src/node/checkpoint-directory.ts');
  });
});

describe('the built package (core builds before its tests)', () => {
  /** A folder whose manifest is a symbolic link: refused by the Node reader with a CheckpointError. */
  function linkedManifest(): string {
    const dir = mkdtempSync(join(tmpdir(), 'genzoo-entries-'));
    writeFileSync(join(dir, 'elsewhere.json'), '{}');
    symlinkSync(join(dir, 'elsewhere.json'), join(dir, 'manifest.json'));
    return dir;
  }

  for (const format of ['esm', 'cjs'] as const) {
    it(`'.' and './node' share one copy of core (${format}): errors of either are core's CheckpointError`, async () => {
      const load = async (entry: string) =>
        format === 'esm'
          ? await import(pathToFileURL(join(packageDir, 'dist', `${entry}.js`)).href)
          : createRequire(import.meta.url)(join(packageDir, 'dist', `${entry}.cjs`));
      const core = await load('index');
      const node = await load('node');
      expect(typeof node.checkpointDirectory).toBe('function');
      expect(core.checkpointDirectory).toBeUndefined();
      const dir = linkedManifest();
      try {
        const error = await core.loadCheckpoint(node.checkpointDirectory(dir)).catch((e: unknown) => e);
        expect((error as Error).message).toMatch(/manifest\.json is a symbolic link/);
        expect(error).toBeInstanceOf(core.CheckpointError);
        expect(error).toBeInstanceOf(core.GenzooError);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  for (const format of ['esm', 'cjs'] as const) {
    it(`imported first, registers every gradient and chained op on tfjs's own tensors (${format})`, () => {
      // A fresh process that loads nothing of tfjs before core: the gradients' bundled copy of tfjs-core must
      // not become the engine (its tensors would have no ops: \`dy.clone()\` of Cast's gradient failed so).
      const script =
        format === 'esm'
          ? `const { tf } = await import(${JSON.stringify(pathToFileURL(join(packageDir, 'dist', 'index.js')).href)});`
          : `const { tf } = require(${JSON.stringify(join(packageDir, 'dist', 'index.cjs'))});`;
      const body = `${script}
        await import('@tensorflow/tfjs-backend-cpu');
        await tf.setBackend('cpu');
        const x = tf.tensor([1, 2, 3]);
        const cast = tf.grad((v) => tf.sum(tf.cast(tf.mul(v, 2), 'float32')))(x);
        const second = tf.grad((v) => tf.sum(tf.grad((u) => tf.sum(tf.tanh(u)))(v)))(x);
        console.log(JSON.stringify({ cast: Array.from(cast.dataSync()), mean: x.mean().dataSync()[0], clone: x.clone().shape, second: Array.from(second.dataSync()) }));`;
      const run = spawnSync(
        process.execPath,
        format === 'esm'
          ? ['--input-type=module', '-e', body]
          : ['-e', `(async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); })`],
        { cwd: packageDir, encoding: 'utf8' },
      );
      expect(run.stderr).not.toMatch(/Error/);
      const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
      expect(out.cast).toEqual([2, 2, 2]);
      expect(out.mean).toBe(2);
      expect(out.clone).toEqual([3]);
      // d²/dx² Σ tanh(x) = −2 tanh(x) (1 − tanh²(x))
      out.second.forEach((v: number, i: number) => {
        const t = Math.tanh(i + 1);
        expect(v).toBeCloseTo(-2 * t * (1 - t * t), 5);
      });
    });
  }
});
