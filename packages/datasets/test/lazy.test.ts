import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const mnistLoaded = () =>
  Object.keys(require.cache).some((path) => /[/\\]mnist[/\\]src[/\\]mnist\.js$/.test(path));

describe('the optional mnist package', () => {
  it('is not loaded by importing the package, only when mnist-10k is asked for', async () => {
    const datasets = await import('../src/node.js');
    datasets.listDatasets({ env: {} });
    expect(mnistLoaded()).toBe(false);
    await datasets.loadDataset('mnist-10k', { trainLimit: 10, testLimit: 10 });
    expect(mnistLoaded()).toBe(true);
  });
});
