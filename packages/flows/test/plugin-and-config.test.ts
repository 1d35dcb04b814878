/** The plugin registers its models with strict configs; parameters and derived constants are kept apart. */
import { PluginRegistry } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowsPlugin } from '../src/index.js';
import { createModel, useWasm } from './helpers.js';

beforeAll(useWasm);

describe('plugin', () => {
  const registry = new PluginRegistry();
  registry.register(flowsPlugin);

  it('registers nice, realnvp, glow, maf and iaf as exact-likelihood flows', () => {
    const models = registry.listModels().filter((m) => m.package === '@genzoo/flows');
    expect(models.map((m) => m.name)).toEqual(['nice', 'realnvp', 'glow', 'maf', 'iaf']);
    for (const m of models) expect(m.likelihood).toBe('exact');
  });

  it('rejects unknown keys and out-of-range values, naming them', () => {
    expect(() => registry.createModel('glow', { step: 4 }, { eventShape: [28, 28, 1], seed: 0 })).toThrow(
      /step/,
    );
    expect(() =>
      registry.createModel('realnvp', { scale: 'softsign' }, { eventShape: [2], seed: 0 }),
    ).toThrow(/scale/);
    expect(() => registry.createModel('nice', { logitAlpha: 0.5 }, { eventShape: [2], seed: 0 })).toThrow(
      /logitAlpha/,
    );
  });

  it('checkpoints hold parameters and ActNorm state, not masks or fixed permutations', () => {
    const model = createModel('glow', { levels: 2, steps: 1, features: 4 }, { eventShape: [4, 4, 1] });
    const keys = Object.keys(model.variables());
    expect(keys).toContain('level0/step0/actnorm/initialized');
    expect(keys).toContain('level0/step0/conv1x1/log-s');
    expect(keys.some((k) => k.endsWith('/permutation') || k.endsWith('-mask'))).toBe(false);
    model.dispose();
    const realnvp = createModel(
      'realnvp',
      { couplings: 2, hidden: [4], mask: 'alternate' },
      { eventShape: [4] },
    );
    expect(Object.keys(realnvp.variables()).some((k) => k.endsWith('/mask'))).toBe(false);
    realnvp.dispose();
  });
});
