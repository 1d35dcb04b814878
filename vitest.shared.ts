import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test settings every package shares: tests in test/, each file in its own process (tfjs backends are
 * global), one process per core. Vitest's default leaves a core to its own main process, which only waits
 * here: on a 2-core machine that ran every file one after the other.
 */
export const packageTests = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: availableParallelism(),
  },
});
