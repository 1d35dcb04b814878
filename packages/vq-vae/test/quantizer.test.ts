import { beforeAll, describe, expect, it } from 'vitest';
import { stopGradient } from '../src/common/quantizer.js';
import { createQuantizer, createVqVae, expectClose, stepContext, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

describe('VectorQuantizer', () => {
  it('picks the nearest code (brute force on random data)', () => {
    const { quantizer, store } = createQuantizer({ codebookSize: 32, codeDim: 5 });
    const z = tf.randomNormal([500, 5], 0, 0.5, 'float32', 11) as tf.Tensor2D;
    const e = quantizer.codebook.arraySync() as number[][];
    const rows = z.arraySync();
    const picked = values(quantizer.nearest(z));
    rows.forEach((row, i) => {
      const distances = e.map((code) => code.reduce((s, c, d) => s + (row[d] - c) ** 2, 0));
      const best = distances.indexOf(Math.min(...distances));
      // Ties within float32 rounding could differ; the picked code must be as near as the best.
      expect(distances[picked[i]]).toBeCloseTo(distances[best], 5);
    });
    const { zq, codes, indices, codebookLoss, commitmentLoss, counts, perplexity, codesUsed } =
      quantizer.quantize(z);
    expect(values(indices)).toEqual(picked);
    const exact = values(codes);
    // z_e + (e − z_e) is e up to float32 rounding.
    expectClose(values(zq), exact, 6);
    expect(values(tf.sum(counts))[0]).toBe(500);
    tf.dispose([codebookLoss, commitmentLoss, perplexity, codesUsed, z]);
    store.dispose();
  });

  it('has a straight-through gradient: d loss / d z_e through z_q equals d loss / d z_q (autodiff)', () => {
    const { quantizer, store } = createQuantizer();
    const ze = tf.randomNormal([6, 3], 0, 1, 'float32', 5);
    const target = tf.randomNormal([6, 3], 0, 1, 'float32', 6);
    // A nonlinear downstream loss f(z_q) = Σ sin(z_q)·target + z_q³.
    const f = (zq: tf.Tensor) => tf.sum(tf.add(tf.mul(tf.sin(zq), target), tf.pow(zq, 3))) as tf.Scalar;
    const throughQuantizer = tf.grad((z: tf.Tensor) => {
      const q = quantizer.quantize(z);
      return f(q.zq);
    })(ze);
    const codes = quantizer.lookup(quantizer.nearest(ze as tf.Tensor2D));
    const atCodes = tf.grad(f)(codes);
    const a = values(throughQuantizer);
    const b = values(atCodes);
    expectClose(a, b, 5);
    // And sg[·] passes the value but no gradient.
    const g = values(tf.grad((z: tf.Tensor) => tf.sum(tf.mul(stopGradient(z), z)))(ze));
    expect(g).toEqual(values(ze.clone()));
    tf.dispose([ze, target, codes]);
    store.dispose();
  });

  it('updates the codebook by EMA exactly as the closed form on a toy batch', () => {
    const decay = 0.9;
    const epsilon = 1e-5;
    const { quantizer, store } = createQuantizer({
      update: 'ema',
      decay,
      epsilon,
      codebookSize: 4,
      codeDim: 2,
    });
    quantizer.codebook.assign(
      tf.tensor2d([
        [0, 0],
        [1, 0],
        [0, 1],
        [5, 5],
      ]),
    );
    quantizer.clusterSum?.assign(
      tf.tensor2d([
        [0, 0],
        [1, 0],
        [0, 1],
        [5, 5],
      ]),
    );
    const N0 = [1, 1, 1, 1];
    const m0 = [
      [0, 0],
      [1, 0],
      [0, 1],
      [5, 5],
    ];
    const z = tf.tensor2d([
      [0.1, 0.1],
      [-0.1, 0.2],
      [0.9, 0.1],
      [1.2, -0.1],
      [0.8, 0],
    ]);
    const indices = quantizer.nearest(z);
    expect(values(indices.clone())).toEqual([0, 0, 1, 1, 1]);
    const counts = tf.sum(tf.oneHot(indices, 4), 0) as tf.Tensor1D;
    const sums = quantizer.assignedSums(z, indices);
    quantizer.emaUpdate(counts, sums);
    // Closed form: N ← γN + (1−γ)n, m ← γm + (1−γ)Σz, e = m / ((N + ε)/(ΣN + Kε)·ΣN).
    const n = [2, 3, 0, 0];
    const s = [
      [0, 0.3],
      [2.9, 0],
      [0, 0],
      [0, 0],
    ];
    const N = N0.map((v, k) => decay * v + (1 - decay) * n[k]);
    const m = m0.map((row, k) => row.map((v, d) => decay * v + (1 - decay) * s[k][d]));
    const total = N.reduce((a, b) => a + b, 0);
    const smoothed = N.map((v) => ((v + epsilon) / (total + 4 * epsilon)) * total);
    const e = m.map((row, k) => row.map((v) => v / smoothed[k]));
    expectClose(values(quantizer.clusterSize!.clone()), N, 6);
    expectClose(values(quantizer.clusterSum!.clone()), m.flat(), 6);
    expectClose(values(quantizer.codebook.clone()), e.flat(), 5);
    tf.dispose([z, indices, counts, sums]);
    store.dispose();
  });

  it('re-seeds unused codes from encoder outputs (dead-code restart)', () => {
    const { quantizer, store } = createQuantizer({ codebookSize: 4, codeDim: 2 });
    quantizer.codebook.assign(
      tf.tensor2d([
        [0, 0],
        [1, 0],
        [50, 50],
        [60, 60],
      ]),
    );
    const z = tf.tensor2d([
      [0.1, 0],
      [0.9, 0],
      [0.2, 0.1],
      [1.1, 0.2],
      [0.5, 0.5],
      [0.3, 0.9],
    ]);
    const indices = quantizer.nearest(z);
    quantizer.recordUsage(tf.sum(tf.oneHot(indices, 4), 0) as tf.Tensor1D);
    expect(quantizer.restartDeadCodes(z, 1, 3)).toBe(2);
    const e = quantizer.codebook.arraySync() as number[][];
    expect(e.slice(0, 2)).toEqual([
      [0, 0],
      [1, 0],
    ]);
    const rows = (z.arraySync() as number[][]).map((r) => r.map((v) => Math.fround(v)));
    for (const code of e.slice(2)) expect(rows).toContainEqual(code);
    expect(e[2]).not.toEqual(e[3]);
    expect(values(quantizer.usage.clone())).toEqual([0, 0, 0, 0]);
    tf.dispose([z, indices]);
    store.dispose();
  });

  it('restarts dead codes during training every N steps', () => {
    const model = createVqVae({
      codebookSize: 16,
      deadCodeRestart: { enabled: true, threshold: 1, every: 2 },
    });
    // Park half the codebook far away so nothing is assigned to it.
    model.quantizer.codebook.assign(
      tf.concat([tf.randomNormal([8, 4], 0, 0.01, 'float32', 1), tf.fill([8, 4], 100)]),
    );
    const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 2);
    const plan = model.trainingPlan();
    const player = plan.players[0];
    if (player.kind !== 'gradient') throw new Error('expected a gradient player');
    for (const step of [0, 1]) {
      tf.tidy(() => {
        player.objective.compute({ x }, stepContext(step));
      });
    }
    expect(model.lastRestarted).toBeGreaterThanOrEqual(8);
    expect(Math.max(...values(tf.abs(model.quantizer.codebook)))).toBeLessThan(100);
    x.dispose();
    model.dispose();
  });
});
