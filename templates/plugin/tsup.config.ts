import { defineConfig } from 'tsup';

// ESM + CJS + .d.ts/.d.cts for Node 20; peers (@genzoo/core, @tensorflow/tfjs-core) and dependencies stay external.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
