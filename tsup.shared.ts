import type { Options } from 'tsup';

/**
 * The build every package shares: ESM + CJS + .d.ts for Node 20, with `import.meta.url` shimmed in the
 * CJS output (packages resolve files and read their package.json relative to themselves).
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    shims: true,
    ...overrides,
  };
}
