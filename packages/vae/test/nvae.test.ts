/**
 * NVAE (src/nvae): the pieces against their definitions — the depthwise convolution's written-out
 * gradient, the residual-normal KL against its closed form (eq. 2) and a Monte-Carlo estimate, the
 * objective as the sum of its terms (with KL balancing during warm-up), the bidirectional structure by
 * autodiff, temperature, BatchNorm re-estimation, spectral regularization — then a short training run on
 * mnist-10k against a calibrated held-out ELBO, save → load, exact resume, leaks and the recipe.
 */
import { loadModel, memoryCheckpointStorage, PluginRegistry, Trainer } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import { checkModelLeaks, smokeRecipe, trainCounted } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Nvae, nvaeConfigSchema, nvaeDefinition, vaePlugin } from '../src/index.js';
import { depthwiseSame } from '../src/nvae/cells.js';
import { klBalancingWeights } from '../src/nvae/objective.js';
import { stepContext, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

/** A small hierarchy: 2 scales (7×7, 14×14) × 2 groups of 2 latent channels, 8/16 channels. */
const SMALL = {
  channels: 4,
  scales: 2,
  groupsPerScale: 2,
  latentChannels: 2,
  expansion: 2,
  batchNormSampling: { batches: 3, batchSize: 16 },
};

/**
 * A model with random prior and posterior heads: they start at zero (q = p, KL 0), which would hide what
 * the tests look for, as training moves them away from zero.
 */
function createNvae(config: Record<string, unknown> = {}, seed = 1): Nvae {
  const model = nvaeDefinition.create(nvaeConfigSchema.parse({ ...SMALL, ...config }), {
    eventShape: [28, 28, 1],
    seed,
  }) as Nvae;
  let i = 0;
  for (const [key, v] of Object.entries(model.variables())) {
    if (/\/(prior|posterior)\/kernel$/.test(key)) {
      tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.05, 'float32', seed * 100 + i++)));
    }
  }
  return model;
}

function binaryImages(n: number, seed: number): tf.Tensor4D {
  return tf.tidy(() =>
    tf.cast(tf.greater(tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed), 0.7), 'float32'),
  ) as tf.Tensor4D;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(tolerance);
}

/** The training objective's loss and metrics at `step`, as numbers. */
function objectiveValues(model: Nvae, x: tf.Tensor, step: number): Record<string, number> {
  const player = model.trainingPlan().players[0];
  if (player.kind !== 'gradient') throw new Error('nvae trains by gradient');
  return tf.tidy(() => {
    const { loss, metrics } = player.objective.compute({ x }, stepContext(step, 1));
    return Object.fromEntries(Object.entries({ loss, ...metrics }).map(([k, v]) => [k, v.dataSync()[0]]));
  });
}

describe('cells', () => {
  it('the depthwise 5×5 convolution’s written-out gradients equal the direct sums', () => {
    const x = tf.randomNormal([3, 6, 5, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([5, 5, 4, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const weights = tf.randomNormal([3, 6, 5, 4], 0, 1, 'float32', 3);
    const [dx, dw] = tf.grads((a, b) =>
      tf.sum(tf.mul(depthwiseSame(a as tf.Tensor4D, b as tf.Tensor4D), weights)),
    )([x, w]);
    // y[b,h,w,c] = Σ_ij x_pad[b, h+i, w+j, c] W[i,j,c]: ∂/∂W[i,j,c] = Σ x_pad[b,h+i,w+j,c] g[b,h,w,c], and
    // ∂/∂x by the same sums read the other way, on the host.
    const xs = x.arraySync();
    const ws = w.arraySync();
    const gs = weights.arraySync() as number[][][][];
    const at = (b: number, h: number, q: number, c: number) =>
      h < 0 || h >= 6 || q < 0 || q >= 5 ? 0 : xs[b][h][q][c];
    const expectedW: number[] = [];
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++)
        for (let c = 0; c < 4; c++) {
          let s = 0;
          for (let b = 0; b < 3; b++)
            for (let h = 0; h < 6; h++)
              for (let q = 0; q < 5; q++) s += at(b, h + i - 2, q + j - 2, c) * gs[b][h][q][c];
          expectedW.push(s);
        }
    const expectedX: number[] = [];
    for (let b = 0; b < 3; b++)
      for (let h = 0; h < 6; h++)
        for (let q = 0; q < 5; q++)
          for (let c = 0; c < 4; c++) {
            let s = 0;
            for (let i = 0; i < 5; i++)
              for (let j = 0; j < 5; j++) {
                const [oh, oq] = [h - i + 2, q - j + 2];
                if (oh >= 0 && oh < 6 && oq >= 0 && oq < 5) s += ws[i][j][c][0] * gs[b][oh][oq][c];
              }
            expectedX.push(s);
          }
    expectClose(values(dw), expectedW, 1e-3);
    expectClose(values(dx), expectedX, 1e-3);
    tf.dispose([x, w, weights]);
  });
});

describe('the hierarchy', () => {
  it('has groups at 7×7 then 14×14, the top one as the latent space', () => {
    const model = createNvae();
    expect(model.groups.map((g) => g.shape)).toEqual([
      [7, 7, 2],
      [7, 7, 2],
      [14, 14, 2],
      [14, 14, 2],
    ]);
    expect(model.latentDim).toBe(98);
    model.dispose();
  });

  it('q(z_l|x, z<l) is a shift and scale of the prior; its KL is eq. 2 and matches Monte Carlo', () => {
    const model = createNvae();
    const x = binaryImages(4, 5);
    const check = tf.tidy(() => {
      const options = { samples: 1, seed: 3, training: false, reparameterize: false };
      const { groups } = model.hierarchy(x, options);
      const { klPerDim } = model.terms(x, options);
      return groups.map((g, l) => {
        const muP = g.prior.mean();
        const sigmaP = g.prior.stddev();
        const deltaMu = tf.sub(g.posterior!.mean(), muP);
        const deltaSigma = tf.div(g.posterior!.stddev(), sigmaP);
        // KL = ½ (Δμ²/σ_p² + Δσ² − 1) − log Δσ (Vahdat & Kautz 2020, eq. 2)
        const closed = tf.sub(
          tf.mul(0.5, tf.sub(tf.add(tf.square(tf.div(deltaMu, sigmaP)), tf.square(deltaSigma)), 1)),
          tf.log(deltaSigma),
        );
        return { closed: tf.reshape(closed, [-1]), model: tf.reshape(klPerDim[l], [-1]), l };
      });
    });
    for (const { closed, model: kl, l } of check) {
      const c = values(closed);
      expectClose(values(kl), c, 1e-3 * Math.max(1, ...c.map(Math.abs)));
      if (l === 0) expect(c.some((v) => v > 0.01)).toBe(true);
    }
    // One posterior–prior pair of the last group: KL by 100,000 draws of log q − log p.
    tf.tidy(() => {
      const { groups } = model.hierarchy(x, { samples: 1, seed: 3, training: false, reparameterize: false });
      const last = groups[groups.length - 1];
      const pick = (t: tf.Tensor) => tf.slice(tf.reshape(t, [-1]), 7, 1);
      const [mq, sq, mp, sp] = [
        last.posterior!.mean(),
        last.posterior!.stddev(),
        last.prior.mean(),
        last.prior.stddev(),
      ].map(pick);
      const z = tf.add(mq, tf.mul(sq, tf.randomNormal([100_000], 0, 1, 'float32', 9)));
      const logN = (m: tf.Tensor, s: tf.Tensor) =>
        tf.sub(tf.mul(-0.5, tf.square(tf.div(tf.sub(z, m), s))), tf.log(s));
      const monteCarlo = tf.mean(tf.sub(logN(mq, sq), logN(mp, sp))).dataSync()[0];
      const closed = tf.sub(
        tf.mul(0.5, tf.sub(tf.add(tf.square(tf.div(tf.sub(mq, mp), sp)), tf.square(tf.div(sq, sp))), 1)),
        tf.log(tf.div(sq, sp)),
      );
      expect(Math.abs(monteCarlo - closed.dataSync()[0])).toBeLessThan(
        0.02 + 0.02 * Math.abs(closed.dataSync()[0]),
      );
    });
    x.dispose();
    model.dispose();
  });

  it('is bidirectional: q(z_l|·) depends on x and on z<l, p(z_l|z<l) on z<l alone (by autodiff)', () => {
    const model = createNvae();
    const x = binaryImages(2, 6);
    const latents = tf.tidy(() =>
      model.groups
        .slice(0, -1)
        .map((g, l) => tf.randomNormal([2, ...g.shape], 0, 1, 'float32', 20 + l) as tf.Tensor4D),
    );
    const last = model.groups.length - 1;
    /** Σ of the mean of q(z_L|x, z<L) or p(z_L|z<L), with z_{L−1} = `previous` and the rest fixed. */
    const meanOf = (which: 'posterior' | 'prior') => (input: tf.Tensor, previous: tf.Tensor) => {
      const { groups } = model.hierarchy(input, {
        samples: 1,
        seed: 1,
        training: false,
        reparameterize: false,
        latents: [...latents.slice(0, -1), previous as tf.Tensor4D],
      });
      return tf.sum((which === 'prior' ? groups[last].prior : groups[last].posterior!).mean());
    };
    const posteriorMean = meanOf('posterior');
    const priorMean = meanOf('prior');
    const norm = (t: tf.Tensor) => values(tf.sum(tf.abs(t)))[0];
    const [qx, qz] = tf.grads(posteriorMean)([x, latents[last - 1]]);
    expect(norm(qx)).toBeGreaterThan(1e-3);
    expect(norm(qz)).toBeGreaterThan(1e-3);
    // The prior has a gradient in z_{L−1} and no path from x at all (autodiff refuses the gradient), and
    // its value is the same for other images.
    const [pz] = tf.grads((previous: tf.Tensor) => priorMean(x, previous))([latents[last - 1]]);
    expect(norm(pz)).toBeGreaterThan(1e-3);
    expect(() => tf.grads(priorMean)([x, latents[last - 1]])).toThrow(/with respect to x/);
    const other = binaryImages(2, 99);
    expect(values(priorMean(other, latents[last - 1]))).toEqual(values(priorMean(x, latents[last - 1])));
    other.dispose();
    tf.dispose([x, ...latents]);
    model.dispose();
  });

  it('temperature T scales the prior’s noise: (z_l − μ_p)/σ_p at T is T times that at 1', () => {
    const model = createNvae();
    const standardized = (temperature: number) =>
      tf.tidy(() => {
        const { groups } = model.topDown(8, undefined, {
          samples: 1,
          seed: 4,
          training: false,
          reparameterize: false,
          temperature,
        });
        return groups.map((g) => values(tf.div(tf.sub(g.z, g.prior.mean()), g.prior.stddev())));
      });
    const full = standardized(1);
    const cold = standardized(0.6);
    full.forEach((eps, l) => {
      expectClose(
        cold[l],
        eps.map((e) => 0.6 * e),
        1e-3,
      );
    });
    model.dispose();
  });
});

describe('sizes', () => {
  it.each([
    [
      'full-resolution cells, 2 cells per group',
      { preprocessCells: 2, postprocessCells: 2, cellsPerGroup: 2 },
      4,
    ],
    ['one scale of 3 groups', { scales: 1, groupsPerScale: 3 }, 3],
  ])('%s: builds, trains a step and samples', (_name, config, groups) => {
    const model = createNvae(config);
    expect(model.groups).toHaveLength(groups);
    const x = binaryImages(4, 11);
    const metrics = objectiveValues(model, x, 0);
    expect(Number.isFinite(metrics.loss)).toBe(true);
    expect(Object.keys(metrics).filter((k) => /^kl_\d+$/.test(k))).toHaveLength(groups);
    const samples = model.sample(3, { seed: 1 });
    expect(samples.shape).toEqual([3, 28, 28, 1]);
    tf.dispose([x, samples]);
    model.dispose();
  });

  it('refuses scales the image cannot halve', () => {
    expect(() => createNvae({ scales: 3 })).toThrow(/divisible by 8/);
  });
});

describe('objective', () => {
  it('after warm-up the loss is −(recon − Σ_l KL_l), the logged ELBO the sum of its terms', () => {
    const model = createNvae({ klWarmupSteps: 10 });
    const x = binaryImages(8, 7);
    const metrics = objectiveValues(model, x, 10);
    const groups = [1, 2, 3, 4].map((l) => metrics[`kl_${l}`]);
    const sum = groups.reduce((a, b) => a + b, 0);
    expect(metrics.beta).toBe(1);
    expect(metrics.kl).toBeCloseTo(sum, 2);
    expect(metrics.elbo).toBeCloseTo(metrics.recon - sum, 2);
    expect(metrics.loss).toBeCloseTo(-metrics.elbo, 2);
    x.dispose();
    model.dispose();
  });

  it('during warm-up, loss = β Σ γ_l KL_l − recon with γ_l ∝ s_l (KL_l + 0.01), mean 1', () => {
    const model = createNvae({ klWarmupSteps: 10 });
    const x = binaryImages(8, 7);
    const metrics = objectiveValues(model, x, 4);
    expect(metrics.beta).toBeCloseTo(0.4, 6);
    const kl = [1, 2, 3, 4].map((l) => metrics[`kl_${l}`]);
    const sizes = model.groups.map((g) => g.size);
    const raw = kl.map((k, l) => sizes[l] * (Math.abs(k) + 0.01));
    const gamma = raw.map((r) => r / (raw.reduce((a, b) => a + b, 0) / raw.length));
    // The KLs are non-negative per example, so |KL_l| averages to the mean KL_l.
    const weighted = gamma.reduce((a, g, l) => a + g * kl[l], 0);
    expect(metrics.loss).toBeCloseTo(0.4 * weighted - metrics.recon, 1);
    // And not the unbalanced loss.
    expect(Math.abs(metrics.loss - (0.4 * metrics.kl - metrics.recon))).toBeGreaterThan(1);
    // klBalancingWeights on its own: a group with twice the KL and size gets 4× the weight.
    const w = values(klBalancingWeights(tf.tensor2d([[0.99, 1.99]]), [1, 2]));
    expect(w[1] / w[0]).toBeCloseTo(4, 5);
    expect((w[0] + w[1]) / 2).toBeCloseTo(1, 5);
    x.dispose();
    model.dispose();
  });

  it('spectral regularization: λ Σ σ(W) is logged, and power iteration converges to each largest singular value', () => {
    const model = createNvae({ spectralRegularization: 0.1 });
    expect(model.spectral.size).toBeGreaterThan(10);
    const x = binaryImages(4, 8);
    const { loss, spectral, elbo } = objectiveValues(model, x, 0);
    expect(spectral).toBeGreaterThan(0);
    expect(loss).toBeCloseTo(-elbo + 0.1 * spectral, 1);
    // 60 more iterations; then Σ σ against host power iteration (300 steps) on every kernel.
    let estimate = 0;
    for (let i = 0; i < 60; i++) estimate = tf.tidy(() => model.spectral.sum().dataSync()[0]);
    let exact = 0;
    for (const [key, v] of Object.entries(model.variables())) {
      if (!key.endsWith('/kernel') || !(`${key.slice(0, -'/kernel'.length)}/spectralU` in model.variables()))
        continue;
      const columns = v.shape[v.shape.length - 1];
      const m = Array.from(v.dataSync());
      const rows = m.length / columns;
      let u = new Array(columns).fill(1);
      let sigma = 0;
      for (let it = 0; it < 300; it++) {
        const w = Array.from({ length: rows }, (_, r) =>
          u.reduce((s, uj, j) => s + m[r * columns + j] * uj, 0),
        );
        const next = Array.from({ length: columns }, (_, j) =>
          w.reduce((s, wr, r) => s + m[r * columns + j] * wr, 0),
        );
        const n = Math.hypot(...next);
        sigma = Math.sqrt(n / Math.hypot(...u));
        u = next.map((t) => t / n);
      }
      exact += sigma;
    }
    expect(exact).toBeGreaterThan(0);
    expect(estimate).toBeLessThanOrEqual(exact * 1.001);
    expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.05);
    x.dispose();
    model.dispose();
  });
});

describe('sampling', () => {
  it('re-estimating BatchNorm changes the generator’s running statistics; sample restores them', () => {
    const model = createNvae();
    const statistics = () => model.generatorStatistics().flatMap((v) => Array.from(v.dataSync()));
    const before = statistics();
    expect(before.length).toBeGreaterThan(0);
    const a = model.sample(4, { seed: 2, temperature: 0.8 });
    expect(statistics()).toEqual(before);
    const b = model.sample(4, { seed: 2, temperature: 0.8 });
    expect(values(a)).toEqual(values(b));
    model.reestimateBatchNorm({ temperature: 0.8, batches: 3, batchSize: 16, seed: 1 });
    const after = statistics();
    const changed = after.filter((v, i) => Math.abs(v - before[i]) > 1e-4).length;
    expect(changed).toBeGreaterThan(after.length / 2);
    model.dispose();
  });

  it('samples differ with and without re-estimation, and are images in [0, 1]', () => {
    const withBn = createNvae();
    const without = createNvae({ batchNormSampling: { batches: 0, batchSize: 16 } });
    const a = values(withBn.sample(4, { seed: 3 }));
    const b = values(without.sample(4, { seed: 3 }));
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.some((v, i) => Math.abs(v - b[i]) > 1e-3)).toBe(true);
    withBn.dispose();
    without.dispose();
  });
});

describe('training on mnist-10k', () => {
  const registry = new PluginRegistry();
  registry.register(vaePlugin);
  const config = { ...SMALL, groupsPerScale: 1, klWarmupSteps: 40 };

  it('lowers the held-out −ELBO below a calibrated threshold; reports KL per group; save → load is exact', async () => {
    const data = await loadDataset('mnist-10k', { binarize: 'dynamic' });
    const checkpoints = memoryCheckpointStorage();
    const { model, counter, result } = await trainCounted({
      plugin: vaePlugin,
      name: 'nvae',
      config,
      data,
      train: {
        steps: 120,
        batchSize: 32,
        seed: 0,
        logEvery: 20,
        optimizer: { name: 'adam', learningRate: 3e-3 },
      },
      checkpoints,
    });
    expect(new Set(counter.counts.slice(3)).size).toBe(1);
    expect(result.lastMetrics.beta).toBe(1);
    // −ELBO starts near 543 nats (784 log 2); measured on wasm after these 120 steps: 135.8 nats (ELBO)
    // and 127.8 (K = 10) on the first 200 statically binarized test digits.
    const metrics = await evaluateModel(model, data.test, { limit: 200, samples: 10 });
    expect(-metrics.elbo).toBeLessThan(THRESHOLD);
    expect(metrics.nll_nats).toBeLessThan(-metrics.elbo + 1);
    expect(metrics.kl_group_1).toBeGreaterThan(0);
    expect(metrics.kl_group_2).toBeGreaterThan(0);

    const { model: loaded } = await loadModel(checkpoints, { registry });
    const batch = data.test.getBatch([0, 1, 2, 3]);
    const [a, b] = [model, loaded].map((m) => values((m as Nvae).lowerBound(batch.x, { seed: 1 })));
    expect(b).toEqual(a);
    expect(values(loaded.sample(4, { seed: 5, temperature: 0.6 }))).toEqual(
      values(model.sample(4, { seed: 5, temperature: 0.6 })),
    );
    tf.dispose([batch.x, batch.labels, batch.condition].filter((t) => t !== undefined));
    model.dispose();
    loaded.dispose();
  });

  it('resumes exactly: 2 + 2 steps give the variables of 4 straight', async () => {
    const data = await loadDataset('mnist-10k', { binarize: 'dynamic' });
    const train = { batchSize: 8, seed: 0, logEvery: 1 };
    const straight = await trainCounted({
      plugin: vaePlugin,
      name: 'nvae',
      config,
      data,
      train: { ...train, steps: 4 },
    });
    const storage = memoryCheckpointStorage();
    const first = await trainCounted({
      plugin: vaePlugin,
      name: 'nvae',
      config,
      data,
      train: { ...train, steps: 2 },
      checkpoints: storage,
    });
    first.model.dispose();
    const trainer = await Trainer.resume(storage, { registry, train: data.train, steps: 4 });
    await trainer.run();
    const resumed = trainer.model;
    const expected = straight.model.variables();
    for (const [key, v] of Object.entries(resumed.variables())) {
      expect(Array.from(v.dataSync()), key).toEqual(Array.from(expected[key].dataSync()));
    }
    straight.model.dispose();
    resumed.dispose();
  });
});

describe('recipes', () => {
  const small = {
    ...nvaeDefinition.reproduce[0],
    config: { ...nvaeDefinition.reproduce[0].config, ...SMALL },
    train: { ...nvaeDefinition.reproduce[0].train, batchSize: 8 },
  };

  it('the mnist-10k recipe (at a small size) trains, samples, scores, saves and loads', async () => {
    const report = await smokeRecipe(vaePlugin, 'nvae', small, { steps: 3 });
    expect(report.sampleShape).toEqual([4, 28, 28, 1]);
    expect(Number.isFinite(report.meanLogLikelihood)).toBe(true);
  });

  it('leaks no tensors over training, sampling, the bound and importance sampling', async () => {
    const report = await checkModelLeaks(vaePlugin, 'nvae', small, { steps: 5 });
    expect(report.after).toBe(report.before);
  });
});

const THRESHOLD = 150;
