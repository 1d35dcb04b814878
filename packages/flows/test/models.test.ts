/**
 * Whole models as bijectors: invertible, log-det equal to the numerical Jacobian's, on random
 * parameters; ActNorm's data-dependent initialization; samples carry their exact log-densities;
 * temperature; 2-D densities integrate to 1 on a grid; configs and inputs that cannot work fail clearly.
 */
import { heatmapGrid } from '@genzoo/pictures';
import { describe, expect, it } from 'vitest';
import { ActNorm } from '../src/common/bijectors/actnorm.js';
import type { Bijector } from '../src/common/bijectors/bijector.js';
import { expectValidBijector } from './bijector-checks.js';
import { createModel, type ModelName, randomize, tf, useWasm, values } from './helpers.js';

await useWasm();

const SMALL: Array<[string, ModelName, Record<string, unknown>, number[]]> = [
  ['nice on vectors', 'nice', { couplings: 4, hidden: [16] }, [4]],
  [
    'nice on images (flattened)',
    'nice',
    { couplings: 2, hidden: [8], mask: 'half', preprocess: 'logit' },
    [2, 2, 1],
  ],
  ['realnvp on vectors', 'realnvp', { couplings: 4, hidden: [16], actnorm: true }, [4]],
  [
    'realnvp multi-scale on images',
    'realnvp',
    {
      levels: 2,
      couplingsPerScale: 2,
      finalCouplings: 2,
      features: 4,
      blocks: 1,
      actnorm: true,
      preprocess: 'logit',
    },
    [4, 4, 1],
  ],
  ['glow (affine, LU, learned prior)', 'glow', { levels: 2, steps: 2, features: 4 }, [4, 4, 1]],
  [
    'glow (additive, plain 1×1, standard prior)',
    'glow',
    { levels: 2, steps: 2, features: 4, coupling: 'additive', conv1x1: 'plain', prior: 'standard' },
    [4, 4, 1],
  ],
  ['maf', 'maf', { layers: 3, hidden: [12], actnorm: true }, [4]],
  ['iaf', 'iaf', { layers: 2, hidden: [12], ordering: 'random' }, [4]],
];

/** Inputs in (0, 1) (logit preprocessing needs them) or standard normal. */
function inputs(model: ReturnType<typeof createModel>, n: number, seed: number): tf.Tensor {
  const unit = (model.config as { preprocess?: string }).preprocess !== 'none';
  return unit
    ? tf.randomUniform([n, ...model.eventShape], 0.02, 0.98, 'float32', seed)
    : tf.randomNormal([n, ...model.eventShape], 0, 1, 'float32', seed);
}

describe('whole models: invertible, log-det = numerical Jacobian', () => {
  it.each(SMALL)('%s', (_name, name, config, eventShape) => {
    const model = createModel(name, config, { eventShape });
    randomize(model.variables(), 40, 0.2);
    const x = inputs(model, 3, 2);
    expectValidBijector(model.flow, x);
    x.dispose();
    model.dispose();
  });
});

describe('ActNorm', () => {
  it('data-dependent initialization: zero mean, unit variance per channel on the init batch, once', () => {
    const model = createModel('glow', { levels: 1, steps: 2, features: 4 }, { eventShape: [4, 4, 2] });
    const x = tf.randomUniform([64, 4, 4, 2], 0, 1, 'float32', 5);
    model.initialize(x);
    // The first ActNorm follows the centring and the squeeze: check its outputs directly.
    const [center, level] = model.flow.children as [Bijector, Bijector & { children: Bijector[] }];
    const [squeeze, actnorm] = level.children;
    expect(actnorm).toBeInstanceOf(ActNorm);
    const h = squeeze.forward(center.forward(x).y).y;
    const out = actnorm.forward(h).y;
    const { mean, variance } = tf.moments(out, [0, 1, 2]);
    for (const m of values(mean)) expect(Math.abs(m)).toBeLessThan(1e-5);
    for (const v of values(variance)) expect(Math.abs(v - 1)).toBeLessThan(1e-3);
    // A second initialize (a resumed or loaded model) leaves the parameters alone.
    const before = values(tf.clone((actnorm as ActNorm).bias));
    model.initialize(tf.mul(x, 3));
    expect(values(tf.clone((actnorm as ActNorm).bias))).toEqual(before);
    expect(values(tf.clone((actnorm as ActNorm).initialized))).toEqual([1]);
    tf.dispose([x, h, out]);
    model.dispose();
  });
});

describe('sampling', () => {
  it('sampleWithLogProb gives the samples exact log-densities, equal to logProb of the samples', () => {
    for (const [name, config, shape] of [
      ['realnvp', { couplings: 4, hidden: [16] }, [2]],
      ['glow', { levels: 2, steps: 2, features: 4 }, [4, 4, 1]],
      ['maf', { layers: 2, hidden: [8] }, [3]],
    ] as const) {
      const model = createModel(name, config, { eventShape: [...shape] });
      randomize(model.variables(), 9, 0.2);
      const { x, logProb } = model.sampleWithLogProb(16, { seed: 3 });
      expect(x.shape).toEqual([16, ...shape]);
      const again = model.logProb(x);
      const [a, b] = [values(logProb), values(again)];
      for (let i = 0; i < a.length; i++)
        expect(Math.abs(a[i] - b[i]), name).toBeLessThan(2e-3 * (1 + Math.abs(b[i])));
      x.dispose();
      model.dispose();
    }
  });

  it('the same seed gives the same samples; temperature scales the base draws', () => {
    const model = createModel('realnvp', { couplings: 2, hidden: [8] }, { eventShape: [2] });
    const [a, b] = [model.sample(200, { seed: 4 }), model.sample(200, { seed: 4 })];
    expect(values(a)).toEqual(values(b));
    // At initialization the flow is close to the identity, so sample spread follows T.
    const spread = (t: number) => {
      const x = model.sample(4000, { seed: 5, temperature: t });
      const s = values(tf.moments(x).variance)[0];
      x.dispose();
      return Math.sqrt(s);
    };
    expect(spread(0.5) / spread(1)).toBeCloseTo(0.5, 1);
    expect(() => model.sample(4, { temperature: 0 })).toThrow(/temperature must be positive/);
    model.dispose();
  });
});

describe('2-D densities normalize', () => {
  // Random parameters bend the density; the grid covers where the mass is (±16 for logistic tails).
  it.each([
    ['nice', { couplings: 4, hidden: [16], base: 'logistic' }],
    ['nice', { couplings: 4, hidden: [16], base: 'normal' }],
    ['realnvp', { couplings: 6, hidden: [16], scale: 'tanh' }],
    ['realnvp', { couplings: 4, hidden: [16], scale: 'exp', actnorm: true }],
    ['maf', { layers: 3, hidden: [16] }],
    ['iaf', { layers: 2, hidden: [16] }],
  ] as Array<[ModelName, Record<string, unknown>]>)('%s %j: ∫ p(x) dx ≈ 1 within 2%', (name, config) => {
    const model = createModel(name, config, { eventShape: [2] });
    randomize(model.variables(), 21, 0.15);
    const cells = 400;
    const half = config.base === 'logistic' ? 16 : 8;
    const grid = heatmapGrid({ x: [-half, half], y: [-half, half] }, cells, cells);
    const density = tf.tidy(() => tf.sum(tf.exp(model.logProb(grid))));
    const integral = values(density)[0] * ((2 * half) / cells) ** 2;
    expect(Math.abs(integral - 1)).toBeLessThan(0.02);
    grid.dispose();
    model.dispose();
  });
});

describe('bad configs and inputs fail clearly', () => {
  it('glow needs images; squeezes need even sizes; channel splits need two channels', () => {
    expect(() => createModel('glow', {}, { eventShape: [2] })).toThrow(/glow is an image flow/);
    expect(() => createModel('glow', { levels: 3 }, { eventShape: [28, 28, 1] })).toThrow(
      /squeeze needs images \[H, W, C\] with even H and W, got \[7,7,4\]/,
    );
    expect(() => createModel('realnvp', {}, { eventShape: [5, 5] })).toThrow(
      /expected vectors \[D\] or images/,
    );
    expect(() => createModel('maf', {}, { eventShape: [1] })).toThrow(/2 or more values/);
    expect(() => createModel('realnvp', { couplings: 0 }, { eventShape: [2] })).toThrow();
  });

  it('logProb of the wrong shape names the expected one; conditions are refused', () => {
    const model = createModel('realnvp', { couplings: 2, hidden: [8] }, { eventShape: [2] });
    const x = tf.zeros([4, 3]);
    expect(() => model.logProb(x)).toThrow(/expected \[batch, 2\], got \[4, 3\]/);
    const condition = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2) as tf.Tensor2D;
    expect(() => model.sample(2, { condition })).toThrow(/not class-conditional/);
    tf.dispose([x, condition]);
    model.dispose();
  });
});
