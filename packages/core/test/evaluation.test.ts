import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, DataValues } from '../src/contracts/data.js';
import type { GenerativeModel, Likelihood } from '../src/contracts/model.js';
import { ConfigError, DataError, ShapeError } from '../src/errors.js';
import {
  bitsPerDimToNats,
  dequantizationOffset,
  evaluateModel,
  likelihoodMetrics,
  logAddExp,
  logMeanExp,
  logSumExp,
  natsToBitsPerDim,
  streamingLogMeanExp,
} from '../src/evaluation/index.js';
import { Random } from '../src/random/seeds.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** float64 log Σ exp over an array. */
function lse64(xs: number[]): number {
  const m = Math.max(...xs);
  if (m === Number.NEGATIVE_INFINITY) return m;
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
}

describe('logSumExp / logMeanExp', () => {
  const rng = new Random(3);
  // Rows spread around very different magnitudes: exp overflows or underflows float32 without the shift.
  const rows = [-5000, -100, 0, 80, 3000].map((offset) =>
    Array.from({ length: 7 }, () => Math.fround(offset + 20 * rng.normal())),
  );

  it('matches float64 along either axis, with and without keepDims', () => {
    tf.tidy(() => {
      const x = tf.tensor2d(rows);
      const byRow = Array.from(logSumExp(x, 1).dataSync());
      rows.forEach((row, i) => {
        expect(byRow[i]).toBeCloseTo(lse64(row), 2);
      });
      const cols = rows[0].map((_, j) => rows.map((row) => row[j]));
      const byCol = Array.from(logSumExp(x, 0).dataSync());
      cols.forEach((col, j) => {
        expect(byCol[j]).toBeCloseTo(lse64(col), 2);
      });
      expect(logSumExp(x, -1, true).shape).toEqual([5, 1]);
      expect(logSumExp(x, [0, 1]).shape).toEqual([]);
      const means = Array.from(logMeanExp(x, 1).dataSync());
      rows.forEach((row, i) => {
        expect(means[i]).toBeCloseTo(lse64(row) - Math.log(7), 2);
      });
    });
  });

  it('gives −Inf for all −Inf rows and ignores −Inf entries', () => {
    tf.tidy(() => {
      const ninf = Number.NEGATIVE_INFINITY;
      const x = tf.tensor2d([
        [ninf, ninf, ninf],
        [ninf, 0, Math.log(3)],
      ]);
      const out = Array.from(logSumExp(x).dataSync());
      expect(out[0]).toBe(ninf);
      expect(out[1]).toBeCloseTo(Math.log(4), 6);
      const added = Array.from(
        logAddExp(tf.tensor1d([ninf, 1000, ninf]), tf.tensor1d([ninf, 1000, 2])).dataSync(),
      );
      expect(added[0]).toBe(ninf);
      expect(added[1]).toBeCloseTo(1000 + Math.LN2, 3);
      expect(added[2]).toBe(2);
    });
  });
});

describe('units', () => {
  const dequantized: DataValues = { kind: 'continuous', range: [0, 1], levels: 256, dequantized: true };

  it('converts nats and bits per dimension', () => {
    expect(natsToBitsPerDim(784 * Math.LN2 * 1.5, 784)).toBeCloseTo(1.5, 12);
    expect(bitsPerDimToNats(1.5, 784)).toBeCloseTo(784 * Math.LN2 * 1.5, 9);
  });

  it('adds D·log 256 only for dequantized data', () => {
    expect(dequantizationOffset(dequantized, 10)).toBeCloseTo(10 * Math.log(256), 12);
    expect(dequantizationOffset({ ...dequantized, range: [-0.5, 0.5] }, 10)).toBeCloseTo(
      10 * Math.log(256),
      12,
    );
    // Raw bytes plus U[0, 1) noise fill [0, 256) in bins of width 1: no offset.
    expect(
      dequantizationOffset({ kind: 'continuous', range: [0, 256], dequantized: true, levels: 256 }, 10),
    ).toBe(0);
    expect(dequantizationOffset({ kind: 'continuous', range: [0, 1], levels: 256 }, 10)).toBe(0);
    expect(dequantizationOffset({ kind: 'binary' }, 10)).toBe(0);
  });

  it('reports the discrete NLL of dequantized data: bits/dim = −log p/(D ln 2) + 8', () => {
    const logProbs = [1000, 1200, 1100];
    const m = likelihoodMetrics(logProbs, [28, 28, 1], dequantized);
    expect(m.bits_per_dim).toBeCloseTo(-1100 / (784 * Math.LN2) + 8, 10);
    expect(m.nll_nats).toBeCloseTo(-1100 + 784 * Math.log(256), 8);
    const binary = likelihoodMetrics([-80, -90], [784], { kind: 'binary' });
    expect(binary).toEqual({ nll_nats: 85, bits_per_dim: 85 / (784 * Math.LN2) });
    expect(() => likelihoodMetrics([], [2], { kind: 'binary' })).toThrow(ShapeError);
  });
});

describe('streamingLogMeanExp', () => {
  it('equals the one-shot float64 log-mean-exp over K = 5000 far-from-zero weights', () => {
    const K = 5000;
    const batch = 3;
    const rng = new Random(9);
    // Importance log-weights of a 784-D model: around −3000 nats, where exp underflows float32.
    const w = Array.from({ length: K }, () =>
      Array.from({ length: batch }, (_, b) => Math.fround(-3000 + 500 * b + 5 * rng.normal())),
    );
    const chunks: number[] = [];
    const before = tf.memory().numTensors;
    const result = streamingLogMeanExp(
      (count, chunk) => {
        chunks.push(count);
        return tf.tensor2d(w.slice(chunk * 128, chunk * 128 + count));
      },
      { samples: K, chunkSize: 128 },
    );
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(chunks.length).toBe(Math.ceil(K / 128));
    expect(chunks.at(-1)).toBe(K % 128);
    const got = Array.from(result.dataSync());
    result.dispose();
    for (let b = 0; b < batch; b++) {
      expect(got[b]).toBeCloseTo(lse64(w.map((row) => row[b])) - Math.log(K), 2);
    }
  });

  it('rejects a chunk of the wrong shape without leaking', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      streamingLogMeanExp((count, chunk) => tf.zeros([count, chunk === 0 ? 2 : 3]), {
        samples: 4,
        chunkSize: 2,
      }),
    ).toThrow(/importance chunk 1: expected shape \[2, 2\], got \[2, 3\]/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => streamingLogMeanExp(() => tf.zeros([1, 1]), { samples: 0 })).toThrow(ConfigError);
  });
});

/** A dataset over fixed host rows, dequantization noise on request as the datasets package adds it. */
function arrayDataset(rows: number[][], values: DataValues): Dataset & { seeds: number[] } {
  const d = rows[0].length;
  const seeds: number[] = [];
  return {
    name: 'toy/test',
    eventShape: [d],
    dtype: 'float32',
    size: rows.length,
    values,
    seeds,
    getBatch(indices, options) {
      seeds.push(options?.seed ?? -1);
      return { x: tf.tensor2d(Array.from(indices as ArrayLike<number>, (i) => rows[i])) };
    },
    batches() {
      throw new Error('not used by evaluation');
    },
  };
}

/** N(0, I) in D dimensions, as an exact or a lower-bound model. */
function gaussianModel(kind: Likelihood['kind']): GenerativeModel {
  const logProb = (x: tf.Tensor) =>
    tf.tidy(() =>
      tf.sub(tf.mul(-0.5, tf.sum(tf.square(x), 1)), (x.shape[1] as number) * 0.5 * Math.log(2 * Math.PI)),
    ) as tf.Tensor1D;
  const likelihood: Likelihood =
    kind === 'exact'
      ? { kind, logProb }
      : kind === 'lowerBound'
        ? {
            kind,
            // A bound 1 nat below log p, and an "IS estimate" that is exact, so both are checkable.
            lowerBound: (x) => tf.tidy(() => tf.sub(logProb(x), 1)),
            importanceSampledLogProb: (x, options) =>
              streamingLogMeanExp(
                (count) => tf.tidy(() => tf.tile(tf.expandDims(logProb(x), 0), [count, 1])),
                {
                  samples: options.samples,
                  chunkSize: 7,
                },
              ),
          }
        : { kind };
  return {
    name: `gaussian-${kind}`,
    config: {},
    eventShape: [2],
    likelihood,
    variables: () => ({}),
    sample: (n) => tf.randomNormal([n, 2]),
    trainingPlan: () => ({ players: [] }),
    dispose: () => {},
  };
}

describe('evaluateModel', () => {
  const rng = new Random(1);
  const rows = Array.from({ length: 45 }, () => [rng.normal(), rng.normal()].map(Math.fround));
  const meanNll = (n: number) =>
    rows.slice(0, n).reduce((a, [u, v]) => a + 0.5 * (u * u + v * v) + Math.log(2 * Math.PI), 0) / n;

  it('reports nll_nats and bits_per_dim for exact models, in batches, without leaking tensors', async () => {
    const data = arrayDataset(rows, { kind: 'continuous', range: [-10, 10] });
    const progress: Array<[number, number]> = [];
    const before = tf.memory().numTensors;
    const metrics = await evaluateModel(gaussianModel('exact'), data, {
      batchSize: 10,
      limit: 33,
      seed: 5,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(metrics).sort()).toEqual(['bits_per_dim', 'nll_nats']);
    expect(metrics.nll_nats).toBeCloseTo(meanNll(33), 4);
    expect(metrics.bits_per_dim).toBeCloseTo(meanNll(33) / (2 * Math.LN2), 4);
    expect(progress).toEqual([
      [10, 33],
      [20, 33],
      [30, 33],
      [33, 33],
    ]);
    // Per-batch data seeds are derived from the evaluation seed: reproducible, distinct per batch.
    expect(new Set(data.seeds).size).toBe(4);
    const again = arrayDataset(rows, data.values);
    await evaluateModel(gaussianModel('exact'), again, { batchSize: 10, limit: 33, seed: 5 });
    expect(again.seeds).toEqual(data.seeds);
  });

  it('applies the dequantization offset to every likelihood metric', async () => {
    const values: DataValues = { kind: 'continuous', range: [0, 1], levels: 256, dequantized: true };
    const exact = await evaluateModel(gaussianModel('exact'), arrayDataset(rows, values));
    expect(exact.nll_nats).toBeCloseTo(meanNll(45) + 2 * Math.log(256), 4);
    expect(exact.bits_per_dim).toBeCloseTo(meanNll(45) / (2 * Math.LN2) + 8, 4);
    const bound = await evaluateModel(gaussianModel('lowerBound'), arrayDataset(rows, values), {
      samples: 20,
    });
    expect(bound.elbo).toBeCloseTo(-meanNll(45) - 1 - 2 * Math.log(256), 4);
  });

  it('reports elbo and the importance-sampled NLL for lower-bound models; nothing for none', async () => {
    const data = arrayDataset(rows, { kind: 'binary' });
    const before = tf.memory().numTensors;
    const metrics = await evaluateModel(gaussianModel('lowerBound'), data, { batchSize: 16, samples: 20 });
    expect(tf.memory().numTensors).toBe(before);
    expect(metrics.elbo).toBeCloseTo(-meanNll(45) - 1, 4);
    expect(metrics.nll_nats).toBeCloseTo(meanNll(45), 3);
    expect(metrics.bits_per_dim).toBeCloseTo(meanNll(45) / (2 * Math.LN2), 3);
    expect(await evaluateModel(gaussianModel('none'), data)).toEqual({});
  });

  it('rejects bad options and empty data', async () => {
    const data = arrayDataset(rows, { kind: 'binary' });
    await expect(evaluateModel(gaussianModel('exact'), data, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(evaluateModel(gaussianModel('exact'), data, { limit: 1.5 })).rejects.toThrow(ConfigError);
    await expect(evaluateModel(gaussianModel('exact'), { ...data, size: 0 })).rejects.toThrow(DataError);
  });
});
