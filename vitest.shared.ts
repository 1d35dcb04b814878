import { defineConfig } from 'vitest/config';

/** Test settings every package shares: tests in test/, each file in its own process (tfjs backends are global). */
export const packageTests = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
