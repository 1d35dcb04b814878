/**
 * The bounds on a fixed model: L_1 = ELBO, L_k increasing in k and below the importance-sampled estimate
 * with many more draws (in expectation, so averaged over many draws), and β = 1 being the VAE.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { iwaeBound } from '../src/common/objectives/iwae.js';
import { binaryBatch, createVae, mean, stepContext, tf, useWasm, values, variance } from './helpers.js';

beforeAll(useWasm);

const small = { latentDim: 4, network: { kind: 'mlp', hidden: [32] } };

/** Batch means of an estimator over `repeats` seeds: their mean and standard error. */
function replicate(estimate: (seed: number) => tf.Tensor, repeats: number): { mean: number; se: number } {
  const means = Array.from({ length: repeats }, (_, r) => mean(values(estimate(r))));
  return { mean: mean(means), se: Math.sqrt(variance(means) / repeats) };
}

describe('importance-weighted bounds on a fixed model', () => {
  for (const name of ['vae', 'hvae'] as const) {
    it(`${name}: L_k increases with k, from the ELBO towards the K = 2000 estimate of log p(x)`, () => {
      const config = name === 'vae' ? small : { latentDims: [8, 4], hidden: [[32], [16]] };
      const model = createVae(name, config);
      const x = binaryBatch(16, 1);
      const elbo = replicate((seed) => model.elboTerms(x, { seed }).elbo, 40);
      const bounds = [1, 5, 50].map((k) => replicate((seed) => model.iwaeBound(x, { k, seed }), 40));
      const estimate = mean(values(model.importanceSampledLogProb(x, { samples: 2000, seed: 99 })));
      // L_1 is the ELBO in expectation …
      expect(Math.abs(bounds[0].mean - elbo.mean)).toBeLessThan(4 * Math.hypot(bounds[0].se, elbo.se));
      // … and L_1 < L_5 < L_50 < log p̂(x), each by many standard errors (the gaps are nats wide here).
      for (const [lower, upper] of [
        [bounds[0], bounds[1]],
        [bounds[1], bounds[2]],
      ]) {
        expect(upper.mean - lower.mean).toBeGreaterThan(4 * Math.hypot(lower.se, upper.se));
      }
      expect(estimate).toBeGreaterThan(bounds[2].mean);
      model.dispose();
      x.dispose();
    });
  }

  it('L_1 of a draw is exactly log p(x|z) + log p(z) − log q(z|x) of that draw', () => {
    const model = createVae('iwae', { ...small, k: 1 });
    const x = binaryBatch(8, 2);
    const [bound, direct] = tf.tidy(() => {
      const pass = model.pass(x, { samples: 1, seed: 5, reparameterize: false });
      return [iwaeBound(pass), tf.squeeze(tf.add(pass.logLikelihood, pass.logRatio), [0])];
    });
    const [b, d] = [values(bound), values(direct)];
    b.forEach((v, i) => {
      expect(v).toBeCloseTo(d[i], 3);
    });
    // The same seed draws the same z in iwaeBound.
    expect(values(model.iwaeBound(x, { k: 1, seed: 5 }))).toEqual(b);
    model.dispose();
    x.dispose();
  });

  it('the IWAE model with k = 1 trains on the ELBO: its loss is −mean(log p(x|z) + log p(z) − log q(z|x))', () => {
    const iwae = createVae('iwae', { ...small, k: 1 });
    const vae = createVae('vae', small);
    const x = binaryBatch(8, 3);
    const lossOf = (model: typeof iwae) => {
      const player = model.trainingPlan().players[0];
      if (player.kind !== 'gradient') throw new Error('expected a gradient player');
      const { loss, metrics } = player.objective.compute({ x }, stepContext(0, 4));
      tf.dispose(Object.values(metrics));
      return values(loss)[0];
    };
    // Same seeds, same initial weights: the one-draw estimates of the two objectives differ only in that
    // the VAE uses the closed-form KL; averaged over draws they agree (checked above).
    const [a, b] = [lossOf(iwae), lossOf(vae)];
    const mc = tf.tidy(() => {
      const pass = iwae.pass(x, { samples: 1, seed: 4000, reparameterize: true });
      return tf.neg(tf.mean(tf.add(pass.logLikelihood, pass.logRatio)));
    });
    expect(a).toBeCloseTo(values(mc)[0], 3);
    expect(Math.abs(a - b)).toBeLessThan(0.05 * Math.abs(b));
    iwae.dispose();
    vae.dispose();
    x.dispose();
  });
});

describe('β-VAE', () => {
  it('with β = 1 is the VAE: same weights, loss, metrics and gradients', () => {
    const vae = createVae('vae', small);
    const beta = createVae('beta-vae', { ...small, beta: 1 });
    const x = binaryBatch(8, 6);
    const run = (model: typeof vae) => {
      const player = model.trainingPlan().players[0];
      if (player.kind !== 'gradient') throw new Error('expected a gradient player');
      const { value, grads } = tf.variableGrads(
        () => player.objective.compute({ x }, stepContext(3, 9)).loss,
      );
      const result = { loss: values(value)[0], grads: Object.values(grads).map((g) => values(g)) };
      return result;
    };
    for (const [key, v] of Object.entries(vae.variables())) {
      expect(values(beta.variables()[key].clone())).toEqual(Array.from(v.dataSync()));
    }
    const [a, b] = [run(vae), run(beta)];
    expect(b.loss).toBe(a.loss);
    expect(b.grads).toEqual(a.grads);
    vae.dispose();
    beta.dispose();
    x.dispose();
  });

  it('with β = 4 minimizes −E[log p(x|z)] + 4·KL', () => {
    const model = createVae('beta-vae', { ...small, beta: 4 });
    const x = binaryBatch(8, 7);
    const player = model.trainingPlan().players[0];
    if (player.kind !== 'gradient') throw new Error('expected a gradient player');
    const { loss, metrics } = player.objective.compute({ x }, stepContext(0, 1));
    const [l, recon, kl, elbo] = [loss, metrics.recon, metrics.kl, metrics.elbo].map((t) => values(t)[0]);
    tf.dispose(Object.values(metrics));
    expect(l).toBeCloseTo(-recon + 4 * kl, 3);
    // The logged ELBO is the bound itself (β = 1).
    expect(elbo).toBeCloseTo(recon - kl, 3);
    model.dispose();
    x.dispose();
  });
});
