import '@tensorflow/tfjs-backend-cpu';
import type { Dataset, DataValues, GenerativeModel, Likelihood } from '@genzoo/core';
import { ConfigError, DataError, Random, streamingLogMeanExp } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
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

  it("averages a model's own evaluationMetrics over examples, whatever its likelihood", async () => {
    const data = arrayDataset(rows, { kind: 'binary' });
    // Per batch: the mean squared norm of its examples, and a constant; weighted means over 45 examples.
    const withOwn = (kind: Likelihood['kind']): GenerativeModel => ({
      ...gaussianModel(kind),
      evaluationMetrics: (batch) =>
        tf.tidy(() => ({ sq_norm: tf.mean(tf.sum(tf.square(batch.x), 1)) as tf.Scalar, one: tf.scalar(1) })),
    });
    const meanSq = rows.reduce((a, [u, v]) => a + u * u + v * v, 0) / rows.length;
    const before = tf.memory().numTensors;
    const none = await evaluateModel(withOwn('none'), data, { batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(none).sort()).toEqual(['one', 'sq_norm']);
    expect(none.sq_norm).toBeCloseTo(meanSq, 4);
    expect(none.one).toBeCloseTo(1, 6);
    const exact = await evaluateModel(withOwn('exact'), data, { batchSize: 16 });
    expect(exact.sq_norm).toBeCloseTo(meanSq, 4);
    expect(exact.nll_nats).toBeCloseTo(meanNll(45), 4);
    const notScalar: GenerativeModel = {
      ...gaussianModel('none'),
      evaluationMetrics: () => ({ v: tf.zeros([2]) as tf.Scalar }),
    };
    await expect(evaluateModel(notScalar, data)).rejects.toThrow(/metric v/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options and empty data', async () => {
    const data = arrayDataset(rows, { kind: 'binary' });
    await expect(evaluateModel(gaussianModel('exact'), data, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(evaluateModel(gaussianModel('exact'), data, { limit: 1.5 })).rejects.toThrow(ConfigError);
    await expect(evaluateModel(gaussianModel('exact'), { ...data, size: 0 })).rejects.toThrow(DataError);
  });
});
