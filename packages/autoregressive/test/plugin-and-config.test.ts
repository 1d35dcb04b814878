/** The plugin registers its models with strict configs; bad configs and data are errors naming the problem. */
import { PluginRegistry } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { autoregressivePlugin, createCodePrior } from '../src/index.js';
import { createModel, tf, useWasm } from './helpers.js';

beforeAll(useWasm);

describe('plugin', () => {
  const registry = new PluginRegistry();
  registry.register(autoregressivePlugin);

  it('registers nade, made, pixelcnn, gated-pixelcnn and multiscale-pixelcnn as exact-likelihood models', () => {
    const models = registry.listModels().filter((m) => m.package === '@genzoo/autoregressive');
    expect(models.map((m) => m.name)).toEqual([
      'nade',
      'made',
      'pixelcnn',
      'gated-pixelcnn',
      'multiscale-pixelcnn',
    ]);
    for (const m of models) expect(m.likelihood).toBe('exact');
  });

  it('rejects unknown keys, even kernels, and per-dimension heads on RGB images', () => {
    expect(() =>
      registry.createModel('pixelcnn', { channel: 8 }, { eventShape: [28, 28, 1], seed: 0 }),
    ).toThrow(/channel/);
    expect(() =>
      registry.createModel('pixelcnn', { kernelSize: 4 }, { eventShape: [28, 28, 1], seed: 0 }),
    ).toThrow(/odd/);
    expect(() =>
      registry.createModel('pixelcnn', { head: { kind: 'categorical' } }, { eventShape: [8, 8, 3], seed: 0 }),
    ).toThrow(/logistic-mixture/);
    expect(() => registry.createModel('pixelcnn', {}, { eventShape: [2], seed: 0 })).toThrow(/models images/);
  });

  it('conditional models need labelled data and labels', () => {
    expect(() => createModel('made', { conditional: true }, { eventShape: [8] })).toThrow(
      /needs a dataset with class labels/,
    );
    const model = createModel(
      'gated-pixelcnn',
      { channels: 4, gatedLayers: 0, conditional: true },
      { eventShape: [4, 4, 1], numClasses: 3 },
    );
    const x = tf.zeros([2, 4, 4, 1]);
    expect(() => model.logProb(x)).toThrow(/needs `condition`, one-hot labels \[2, 3\]/);
    expect(() => model.sample(2)).toThrow(/needs `condition`/);
    x.dispose();
    model.dispose();
  });

  it('derived masks are not checkpointed state; parameters are', () => {
    const model = createModel('made', { hidden: [16], masks: 3 }, { eventShape: [8] });
    const keys = Object.keys(model.variables());
    expect(keys.some((k) => k.includes('mask'))).toBe(false);
    expect(keys).toContain('made/output/kernel');
    model.dispose();
  });

  it('a code prior needs index-valued categorical codes', () => {
    const prior = createCodePrior({
      codeShape: [3, 3],
      categories: 5,
      config: { channels: 4, gatedLayers: 0 },
    });
    expect(prior.categories).toBe(5);
    expect(() => prior.asExamples(tf.zeros([2, 4, 3]))).toThrow(/codes must be \[n, 3, 3\]/);
    prior.dispose();
  });
});
