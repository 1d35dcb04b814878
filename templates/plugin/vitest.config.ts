import { defineConfig } from 'vitest/config';

// Each test file in its own process: TensorFlow.js backends and tensor counts are process-wide.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
