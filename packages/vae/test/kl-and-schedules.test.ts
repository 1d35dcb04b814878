/** The KL term against its closed form and a Monte Carlo estimate; KL warm-up and free bits. */
import { beforeAll, describe, expect, it } from 'vitest';
import { klPenalty } from '../src/common/objectives/free-bits.js';
import { klWeight } from '../src/common/objectives/kl-weight.js';
import { binaryBatch, createVae, stepContext, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

describe('KL(N(μ, σ²) ‖ N(0, 1))', () => {
  it('equals ½(μ² + σ² − 1) − log σ per dimension for the encoder’s posterior', () => {
    const model = createVae('vae', { latentDim: 6, network: { kind: 'mlp', hidden: [32] } });
    const x = binaryBatch(5, 1);
    const { mean: mu, stddev } = model.encode(x);
    const [m, s] = [values(mu), values(stddev)];
    const kl = tf.tidy(() =>
      tf.squeeze(model.pass(x, { samples: 1, seed: 0, reparameterize: true }).klPerDim, [0]),
    );
    const got = values(kl);
    got.forEach((v, i) => {
      const expected = 0.5 * (m[i] ** 2 + s[i] ** 2 - 1) - Math.log(s[i]);
      expect(Math.abs(v - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
    });
    model.dispose();
    x.dispose();
  });

  it('matches the Monte Carlo estimate E_q[log q(z|x) − log p(z)] over many draws', () => {
    // Ten-pixel data keeps the 60,000 decoded draws cheap; the KL does not depend on the decoder.
    const model = createVae(
      'vae',
      { latentDim: 4, network: { kind: 'mlp', hidden: [16] } },
      { eventShape: [10] },
    );
    const x = tf.tidy(() => tf.slice(binaryBatch(3, 2), [0, 0], [3, 10]));
    const draws = 20_000;
    const [closed, sampled] = tf.tidy(() => {
      const pass = model.pass(x, { samples: draws, seed: 3, reparameterize: false });
      return [tf.sum(pass.klPerDim, [0, 2]), tf.neg(tf.sum(pass.logRatio, 0))];
    });
    const [c, s] = [values(closed), values(sampled).map((v) => v / draws)];
    // The estimate's standard error is sd(log q − log p)/√20000, well under 0.05 nats for these posteriors.
    c.forEach((v, i) => {
      expect(Math.abs(s[i] - v)).toBeLessThan(0.05);
    });
    model.dispose();
    x.dispose();
  });
});

describe('KL warm-up', () => {
  it('rises linearly from 0 to the target over the warm-up steps, then stays', () => {
    expect([0, 25, 50, 100, 1000].map((t) => klWeight(4, 100, t))).toEqual([0, 1, 2, 4, 4]);
    expect(klWeight(1, 0, 0)).toBe(1);
  });

  it('is logged as `beta` and weights the KL term of the loss', () => {
    const model = createVae('beta-vae', {
      latentDim: 4,
      network: { kind: 'mlp', hidden: [16] },
      beta: 2,
      klWarmupSteps: 10,
    });
    const x = binaryBatch(8, 4);
    const player = model.trainingPlan().players[0];
    if (player.kind !== 'gradient') throw new Error('expected a gradient player');
    for (const step of [0, 5, 10, 20]) {
      const { loss, metrics } = player.objective.compute({ x }, stepContext(step, 7));
      const [l, beta, recon, kl] = [loss, metrics.beta, metrics.recon, metrics.kl].map((t) => values(t)[0]);
      tf.dispose(Object.values(metrics));
      expect(beta).toBeCloseTo(2 * Math.min(1, step / 10), 6);
      expect(l).toBeCloseTo(-recon + beta * kl, 3);
    }
    model.dispose();
    x.dispose();
  });
});

describe('free bits', () => {
  it('floors each dimension’s batch-mean KL at λ and passes no gradient to dimensions below it', () => {
    // KL per dimension, [S = 1, B = 2, Z = 3]: batch means 0.1, 1.0, 3.0.
    const kl = tf.tensor3d([
      [
        [0.05, 0.5, 2],
        [0.15, 1.5, 4],
      ],
    ]);
    const { penalty, active } = klPenalty(kl, 0.5);
    expect(values(penalty)[0]).toBeCloseTo(0.5 + 1 + 3, 5);
    expect(values(active)).toEqual([0, 1, 1]);
    const gradient = tf.grad((t: tf.Tensor) => klPenalty(t as tf.Tensor3D, 0.5).penalty)(kl);
    expect(values(gradient)).toEqual([0, 0.5, 0.5, 0, 0.5, 0.5]);
    const plain = klPenalty(kl, 0);
    expect(values(plain.penalty)[0]).toBeCloseTo(0.1 + 1 + 3, 5);
    tf.dispose([plain.active, kl]);
  });

  it('is logged as `klFreeBits` beside the true `kl`', () => {
    const model = createVae('vae', { latentDim: 8, network: { kind: 'mlp', hidden: [16] }, freeBits: 2 });
    const x = binaryBatch(8, 5);
    const player = model.trainingPlan().players[0];
    if (player.kind !== 'gradient') throw new Error('expected a gradient player');
    const { loss, metrics } = player.objective.compute({ x }, stepContext(0, 1));
    const [l, recon, kl, floored] = [loss, metrics.recon, metrics.kl, metrics.klFreeBits].map(
      (t) => values(t)[0],
    );
    tf.dispose(Object.values(metrics));
    // At initialization every dimension's KL is far below 2 nats, so the floor holds them all.
    expect(kl).toBeLessThan(8 * 2);
    expect(floored).toBeCloseTo(8 * 2, 4);
    expect(l).toBeCloseTo(-recon + floored, 3);
    expect(kl).toBeGreaterThan(0);
    model.dispose();
    x.dispose();
  });
});
