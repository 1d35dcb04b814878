import { checkModelLeaks, recipeCases, useCpuBackend } from '@genzoo/testing';
import { beforeAll, expect, it } from 'vitest';
import { plugin } from '../src/index.js';

beforeAll(useCpuBackend);

// Training steps end with a steady tensor count, sample/logProb/the objective leave nothing behind, and
// dispose() frees everything the model made.
it.each(recipeCases(plugin))('%s: does not leak tensors', async (_id, name, recipe) => {
  const report = await checkModelLeaks(plugin, name, recipe, { steps: 8 });
  expect(report.after).toBe(report.before);
});
