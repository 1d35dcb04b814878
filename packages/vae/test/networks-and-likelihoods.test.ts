/** Decoder likelihoods against their formulas, and the networks' shapes for flat and image data. */
import { beforeAll, describe, expect, it } from 'vitest';
import { BernoulliObservation } from '../src/common/likelihoods/bernoulli.js';
import { FixedVarianceGaussian } from '../src/common/likelihoods/gaussian-fixed.js';
import { LearnedVarianceGaussian } from '../src/common/likelihoods/gaussian-learned.js';
import { createVae, mean, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const LOG_2PI = Math.log(2 * Math.PI);

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i])));
  });
}

describe('likelihoods', () => {
  const x = [
    [1, 0, 1],
    [0, 0, 1],
  ];

  it('Bernoulli: Σ x log σ(l) + (1 − x) log(1 − σ(l)), finite for extreme logits', () => {
    const logits = [
      [2, -1, 0.5],
      [-80, 80, 3],
    ];
    const model = new BernoulliObservation();
    const got = values(model.logProb(tf.tensor2d(logits), tf.tensor2d(x)));
    const expected = logits.map((row, b) =>
      row.reduce((s, l, d) => s + (x[b][d] ? -softplus(-l) : -softplus(l)), 0),
    );
    expectClose(got, expected, 1e-5);
    expectClose(values(model.mean(tf.tensor2d(logits))), logits.flat().map(sigmoid), 1e-6);
    // Draws of 40,000 pixels at σ(0.4) ≈ 0.599.
    const draws = values(model.sample(tf.fill([40_000], 0.4), 3));
    expect(new Set(draws)).toEqual(new Set([0, 1]));
    expect(Math.abs(mean(draws) - sigmoid(0.4))).toBeLessThan(0.01);
  });

  it('Gaussian with fixed variance: −½ Σ [ln 2πv + (x − μ)²/v]', () => {
    const mu = [
      [0.9, 0.2, 0.4],
      [0.1, -0.3, 1.5],
    ];
    const v = 0.05;
    const got = values(new FixedVarianceGaussian(v).logProb(tf.tensor2d(mu), tf.tensor2d(x)));
    const expected = mu.map((row, b) =>
      row.reduce((s, m, d) => s - 0.5 * (LOG_2PI + Math.log(v) + (x[b][d] - m) ** 2 / v), 0),
    );
    expectClose(got, expected, 1e-5);
  });

  it('Gaussian with learned variance per pixel: outputs [μ_1…μ_D, s_1…s_D], v_d = v_min + softplus(s_d)', () => {
    const outputs = [
      [0.9, 0.2, 0.4, -1, 0.5, -4],
      [0.1, -0.3, 1.5, 2, 0, 1],
    ];
    const model = new LearnedVarianceGaussian(3, 'pixel', 1e-3);
    const got = values(model.logProb(tf.tensor2d(outputs), tf.tensor2d(x)));
    const expected = outputs.map((row, b) =>
      [0, 1, 2].reduce((s, d) => {
        const variance = 1e-3 + softplus(row[3 + d]);
        return s - 0.5 * (LOG_2PI + Math.log(variance) + (x[b][d] - row[d]) ** 2 / variance);
      }, 0),
    );
    expectClose(got, expected, 1e-5);
    expectClose(values(model.mean(tf.tensor2d(outputs))), [0.9, 0.2, 0.4, 0.1, -0.3, 1.5], 1e-7);
    expectClose(
      values(model.variance(tf.tensor2d(outputs))),
      outputs.flatMap((row) => row.slice(3).map((s) => 1e-3 + softplus(s))),
      1e-6,
    );
  });

  it('Gaussian with learned variance per image: one v for all pixels, from the last output', () => {
    const outputs = [
      [0.9, 0.2, 0.4, -2],
      [0.1, -0.3, 1.5, 0.7],
    ];
    const model = new LearnedVarianceGaussian(3, 'image', 1e-4);
    const got = values(model.logProb(tf.tensor2d(outputs), tf.tensor2d(x)));
    const expected = outputs.map((row, b) => {
      const variance = 1e-4 + softplus(row[3]);
      return [0, 1, 2].reduce(
        (s, d) => s - 0.5 * (LOG_2PI + Math.log(variance) + (x[b][d] - row[d]) ** 2 / variance),
        0,
      );
    });
    expectClose(got, expected, 1e-5);
    // Broadcasts a [B, D] batch against [S, B, ·] outputs of S latent draws.
    const stacked = tf.stack([tf.tensor2d(outputs), tf.tensor2d(outputs)]);
    expectClose(values(model.logProb(stacked, tf.tensor2d(x))), [...expected, ...expected], 1e-5);
  });
});

describe('networks and data shapes', () => {
  const configs = [
    ['MLP', { network: { kind: 'mlp', hidden: [32, 16] } }],
    ['conv', { network: { kind: 'conv', channels: [4, 8] } }],
    [
      'conv, per-pixel variance',
      { network: { kind: 'conv', channels: [4] }, likelihood: { kind: 'gaussian-learned' } },
    ],
    [
      'conv, per-image variance',
      {
        network: { kind: 'conv', channels: [4, 8], hidden: [16] },
        likelihood: { kind: 'gaussian-learned', per: 'image' },
      },
    ],
  ] as const;

  for (const eventShape of [[28, 28, 1], [32, 32, 3], [784]]) {
    for (const [what, config] of configs) {
      it(`${what} on examples of shape [${eventShape}]: bounds [B], encode [B, z], decode and sample in the event shape`, () => {
        const model = createVae('vae', { latentDim: 3, ...config }, { eventShape });
        const x = tf.randomUniform([2, ...eventShape], 0, 1, 'float32', 1);
        expect(values(model.lowerBound(x, { seed: 1 })).every(Number.isFinite)).toBe(true);
        const is = model.importanceSampledLogProb(x, { samples: 7, seed: 1 });
        expect(is.shape).toEqual([2]);
        is.dispose();
        const { mean: mu, stddev } = model.encode(x);
        expect([mu.shape, stddev.shape]).toEqual([
          [2, 3],
          [2, 3],
        ]);
        const decoded = model.decode(mu);
        expect(decoded.shape).toEqual([2, ...eventShape]);
        const sample = model.sample(5, { seed: 2 });
        expect(sample.shape).toEqual([5, ...eventShape]);
        tf.dispose([x, mu, stddev, decoded, sample]);
        model.dispose();
      });
    }
  }

  it('conv decoder: each parameter’s block holds the pixels in the order of the flattened image', () => {
    // With every decoder weight at zero but the last bias, the outputs are that bias per channel
    // (parameter-major channels [μ_c…, s_c…]), repeated over the pixels.
    const model = createVae(
      'vae',
      { latentDim: 2, network: { kind: 'conv', channels: [4] }, likelihood: { kind: 'gaussian-learned' } },
      { eventShape: [4, 4, 3] },
    );
    for (const v of Object.values(model.decoderVariables())) v.assign(tf.zerosLike(v));
    model.decoderVariables()['decoder/deconv0/bias'].assign(tf.tensor1d([1, 2, 3, 10, 20, 30]));
    const mean = values(model.decode(tf.zeros([1, 2]) as tf.Tensor2D));
    expect(mean).toEqual(Array.from({ length: 16 }, () => [1, 2, 3]).flat());
    model.dispose();
  });

  it('treats [B, 28, 28, 1] images and [B, 784] rows alike', () => {
    for (const network of [
      { kind: 'mlp', hidden: [16] },
      { kind: 'conv', channels: [4, 8] },
    ]) {
      const model = createVae('vae', { latentDim: 2, network }, { eventShape: [28, 28, 1] });
      const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 4);
      const rows = tf.reshape(images, [3, 784]);
      expect(values(model.lowerBound(rows, { seed: 5 }))).toEqual(
        values(model.lowerBound(images, { seed: 5 })),
      );
      tf.dispose([images, rows]);
      model.dispose();
    }
  });

  it('samples deterministically per seed, at the prior mean for temperature 0, and draws x ~ p(x|z) on request', () => {
    const model = createVae('vae', { latentDim: 2, network: { kind: 'mlp', hidden: [16] } });
    expect(values(model.sample(3, { seed: 7 }))).toEqual(values(model.sample(3, { seed: 7 })));
    const atMean = values(model.sample(2, { seed: 1, temperature: 0 }));
    expect(atMean).toEqual(values(model.decode(tf.zeros([2, 2]) as tf.Tensor2D)));
    model.dispose();
    const drawing = createVae('vae', {
      latentDim: 2,
      network: { kind: 'mlp', hidden: [16] },
      sampleOutput: 'draw',
    });
    expect(new Set(values(drawing.sample(4, { seed: 1 })))).toEqual(new Set([0, 1]));
    drawing.dispose();
  });

  it('hvae: the top layer is the latent space, the intermediate one at its mean', () => {
    const model = createVae('hvae', { latentDims: [6, 3], hidden: [[16], [8]] });
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1);
    const { mean: mu, stddev } = model.encode(x);
    expect(model.latentDim).toBe(3);
    expect(mu.shape).toEqual([4, 3]);
    const decoded = model.decode(mu);
    expect(decoded.shape).toEqual([4, 784]);
    expect(values(model.sample(2, { seed: 3, temperature: 0 }))).toEqual(
      values(model.decode(tf.zeros([2, 3]) as tf.Tensor2D)),
    );
    tf.dispose([x, mu, stddev, decoded]);
    model.dispose();
  });
});
