/**
 * Sampling and completion: samples follow the model's own probabilities (on a 2 × 2 model, the
 * frequencies of completed bottom rows match p(bottom | top) from `logProb`), completion returns the
 * observed pixels exactly, seeds reproduce draws, low temperature concentrates them, and the
 * receptive-field crop that sampling uses gives exactly the full network's conditionals (with a conditioning
 * map too, cropped the same way).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageAutoregressiveModel } from '../src/common/models/image-model.js';
import { binaryExamples, createModel, labels, type ModelName, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const tiny: Array<[ModelName, Record<string, unknown>, number[]]> = [
  ['nade', { hidden: 8 }, [4]],
  ['made', { hidden: [16] }, [4]],
  ['pixelcnn', { channels: 4, residualBlocks: 1, firstKernel: 3, outputChannels: 4 }, [2, 2, 1]],
  ['gated-pixelcnn', { channels: 4, gatedLayers: 1, firstKernel: 3, outputChannels: 4 }, [2, 2, 1]],
];

describe('completion draws from p(missing | observed) when the observed pixels come first', () => {
  it.each(tiny)('%s: frequencies of the bottom row given the top row', (name, config, eventShape) => {
    const model = createModel(name, config, { eventShape, seed: 3 });
    const top = [1, 0];
    const n = 4000;
    const x = tf.tensor(Array.from({ length: n }, () => [...top, 0, 0]).flat(), [n, ...eventShape]);
    const observed = tf.tensor([1, 1, 0, 0], eventShape);
    const done = values(model.complete(x, observed, { seed: 5 }));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      expect([done[4 * i], done[4 * i + 1]]).toEqual(top);
      counts[done[4 * i + 2] + 2 * done[4 * i + 3]]++;
    }
    const candidates = tf.tensor(
      [0, 1, 2, 3].flatMap((k) => [...top, k & 1, (k >> 1) & 1]),
      [4, ...eventShape],
    );
    const joint = values(model.logProb(candidates)).map(Math.exp);
    const total = joint.reduce((a, b) => a + b, 0);
    joint.forEach((p, k) => {
      const expected = p / total;
      expect(Math.abs(counts[k] / n - expected)).toBeLessThan(
        4 * Math.sqrt((expected * (1 - expected)) / n) + 2e-3,
      );
    });
    tf.dispose([x, observed, candidates]);
    model.dispose();
  });
});

describe('completion and sampling on images', () => {
  it.each([
    ['pixelcnn', { channels: 8, residualBlocks: 1, outputChannels: 8 }],
    ['gated-pixelcnn', { channels: 4, gatedLayers: 1, outputChannels: 8, conditional: true }],
    ['made', { hidden: [32], masks: 2, ordering: 'random' }],
    ['nade', { hidden: 16 }],
  ] as const)('%s keeps the observed pixels, reproduces with a seed, does not leak', (name, config) => {
    const model = createModel(name, config, { eventShape: [8, 8, 1], numClasses: 3 });
    const condition = 'conditional' in config ? labels(3, 3) : undefined;
    const x = binaryExamples(3, [8, 8, 1], 7);
    // Per-example masks: the top half for two examples, a random half of the pixels for the third.
    const topHalf = Array.from({ length: 64 }, (_, i) => (i < 32 ? 1 : 0));
    const scattered = Array.from({ length: 64 }, (_, i) => ((i * 37) % 64 < 32 ? 1 : 0));
    const observed = tf.tensor4d([...topHalf, ...topHalf, ...scattered], [3, 8, 8, 1]);
    const before = tf.memory().numTensors;
    const a = model.complete(x, observed, { seed: 1, condition });
    const b = model.complete(x, observed, { seed: 1, condition });
    const c = model.complete(x, observed, { seed: 2, condition });
    const [xs, ms, as, bs, cs] = [x, observed, a, b, c].map((t) => Array.from(t.dataSync()));
    for (let i = 0; i < xs.length; i++) {
      if (ms[i] === 1) expect(as[i]).toBe(xs[i]);
      expect(as[i] === 0 || as[i] === 1).toBe(true);
    }
    expect(as).toEqual(bs);
    expect(as).not.toEqual(cs);
    tf.dispose([a, b, c]);
    expect(tf.memory().numTensors).toBe(before);
    const samples = model.sample(4, { seed: 3, condition: condition ? labels(4, 3) : undefined });
    expect(samples.shape).toEqual([4, 8, 8, 1]);
    tf.dispose([samples, x, observed, condition].filter((t) => t !== undefined));
    model.dispose();
  });

  it('temperature: near 0 the draws of different seeds agree almost everywhere', () => {
    const model = createModel('made', { hidden: [32] }, { eventShape: [16] });
    // Output biases of ±0.5 or so: conditionals far enough from 1/2 that a cold draw is their mode.
    const bias = model.variables()['made/output/bias'];
    bias.assign(tf.randomNormal(bias.shape, 0, 1, 'float32', 8));
    const a = values(model.sample(8, { seed: 1, temperature: 0.01 }));
    const b = values(model.sample(8, { seed: 2, temperature: 0.01 }));
    const agree = a.filter((v, i) => v === b[i]).length / a.length;
    const c = values(model.sample(8, { seed: 1 }));
    const d = values(model.sample(8, { seed: 2 }));
    const agreeWarm = c.filter((v, i) => v === d[i]).length / c.length;
    expect(agree).toBeGreaterThan(0.98);
    expect(agreeWarm).toBeLessThan(0.9);
    expect(() => model.sample(2, { temperature: 0 })).toThrow(/temperature must be a positive number/);
    model.dispose();
  });

  it('bad masks and shapes are errors that say what was expected', () => {
    const model = createModel(
      'pixelcnn',
      { channels: 4, residualBlocks: 0, outputChannels: 4 },
      { eventShape: [4, 4, 1] },
    );
    const x = tf.zeros([2, 4, 4, 1]);
    expect(() => model.complete(x, tf.ones([3, 3]))).toThrow(
      /observed must have the shape of x \[2, 4, 4, 1\]/,
    );
    expect(() => model.complete(tf.zeros([2, 5, 5, 1]), tf.ones([4, 4, 1]))).toThrow(
      /expected \[batch, 4, 4, 1\]/,
    );
    x.dispose();
    model.dispose();
  });
});

describe("sampling's receptive-field crop equals the full network", () => {
  it.each([
    ['pixelcnn', { channels: 8, residualBlocks: 2, firstKernel: 5, kernelSize: 3, outputChannels: 8 }],
    [
      'gated-pixelcnn',
      { channels: 6, gatedLayers: 2, firstKernel: 5, kernelSize: 3, outputChannels: 8, conditional: true },
    ],
    [
      'gated-pixelcnn',
      { channels: 6, gatedLayers: 2, firstKernel: 5, kernelSize: 3, outputChannels: 8, mapChannels: 3 },
    ],
    [
      'gated-pixelcnn',
      {
        channels: 6,
        gatedLayers: 3,
        firstKernel: 3,
        kernelSize: 5,
        outputChannels: 8,
        conditional: true,
        mapChannels: 2,
      },
    ],
    [
      'pixelcnn',
      {
        channels: 8,
        residualBlocks: 1,
        firstKernel: 3,
        outputChannels: 8,
        head: { kind: 'logistic-mixture', components: 2 },
      },
    ],
  ] as const)('%s %#', (name, config) => {
    const model = createModel(name, config, {
      eventShape: [12, 11, 1],
      numClasses: 3,
    }) as unknown as ImageAutoregressiveModel<unknown>;
    const condition = 'conditional' in config ? labels(2, 3) : undefined;
    const map =
      'mapChannels' in config
        ? (tf.randomNormal([2, 12, 11, config.mapChannels], 0, 1, 'float32', 10) as tf.Tensor4D)
        : undefined;
    const x = tf.randomUniform([2, 12, 11, 1], 0, 1, 'float32', 9);
    const full = tf.tidy(() => tf.reshape(model.networkParams(x, 0, condition, map), [2, 132, -1]));
    for (const position of [0, 5, 11, 40, 65, 131]) {
      const crop = model.positionParams(x, position, 0, condition, map);
      const reference = tf.tidy(() => tf.reshape(tf.slice(full, [0, position, 0], [-1, 1, -1]), [2, -1]));
      const diff = values(tf.tidy(() => tf.max(tf.abs(tf.sub(crop, reference)))))[0];
      expect(diff, `position ${position}`).toBeLessThan(1e-5);
      tf.dispose([crop, reference]);
    }
    tf.dispose([x, full, condition, map].filter((t) => t !== undefined));
    model.dispose();
  });

  it('NADE’s one-dimension pass equals its full pass', () => {
    const model = createModel('nade', { hidden: 16 }, { eventShape: [12] });
    const x = binaryExamples(3, [12], 4);
    const full = tf.reshape(model.networkParams(x, 0), [3, 12]);
    const all = values(full);
    for (const d of [0, 3, 11]) {
      const one = values(model.positionParams(x, d, 0));
      one.forEach((v, b) => {
        expect(v).toBeCloseTo(all[b * 12 + d], 4);
      });
    }
    x.dispose();
    model.dispose();
  });
});
