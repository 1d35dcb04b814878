import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig([
  // Three entries: the platform-neutral library, `@genzoo/core/node` and the script of its gradient
  // worker threads. Shared code goes to common chunks
  // (also in the CommonJS build), so both entries see one copy of core's classes and registries.
  packageBuild({
    entry: ['src/index.ts', 'src/node.ts', 'src/parallel-worker.ts'],
    splitting: true,
    external: ['#tfjs-gradients'],
  }),
  // The package import #tfjs-gradients (package.json `imports`): see src/gradients/register.ts.
  {
    entry: { 'tfjs-gradients.node': 'src/gradients/tfjs-node.ts' },
    format: ['cjs'],
    target: 'node20',
    // Bundles tfjs-core's ESM gradient files; the CommonJS tfjs-core itself is never bundled.
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    outExtension: () => ({ js: '.cjs' }),
  },
  {
    entry: { 'tfjs-gradients.browser': 'src/gradients/tfjs-browser.ts' },
    format: ['esm'],
    target: 'es2020',
    external: [/^@tensorflow\//],
  },
]);
