import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** The modules a browser bundle of `entry` pulls in, and the Node built-ins it asks for. */
async function browserBundle(entry: string) {
  const asked: string[] = [];
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: root },
    bundle: true,
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // @genzoo/core's own neutrality is core's business; tfjs is a browser library.
    external: ['@tensorflow/*', '@genzoo/core'],
    plugins: [
      {
        name: 'builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (builtins.has(args.path)) {
              asked.push(`${args.path} (from ${args.importer})`);
              return { path: args.path, external: true };
            }
            return undefined;
          });
        },
      },
    ],
  });
  return { asked, inputs: Object.keys(result.metafile.inputs) };
}

describe('entries', () => {
  it('the main entry bundles for the browser without a Node built-in', async () => {
    const { asked, inputs } = await browserBundle('./src/index.ts');
    expect(asked).toEqual([]);
    expect(inputs.some((i) => i.includes('src/user/browser.ts'))).toBe(true);
  });

  it('the Node entry does use Node built-ins (the check can fail)', async () => {
    const { asked } = await browserBundle('./src/node.ts');
    expect(asked.some((a) => a.startsWith('node:fs'))).toBe(true);
  });

  it('registers the file-backed datasets on import of the Node entry, and the main entry names it', async () => {
    const main = await import('../src/index.js');
    expect(main.listDatasets().map((d) => d.name)).toContain('moons');
    await import('../src/node.js');
    const names = main.listDatasets({ env: {}, systemDirs: [] }).map((d) => d.name);
    expect(names.slice(0, 7)).toEqual([
      'mnist',
      'fashion-mnist',
      'mnist-10k',
      'mnist-10k-inverted',
      'mnist-10k-rotated',
      'mnist-10k-domains',
      'cifar10',
    ]);
    expect(names.slice(-3)).toEqual(['image-folder', 'csv', 'npy']);
  });
});
