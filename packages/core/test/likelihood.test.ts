/** The likelihood arithmetic models share: log-sum-exp, units (nats, bits/dim), streaming importance estimates. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataValues } from '../src/contracts/data.js';
import { ConfigError, ShapeError } from '../src/errors.js';
import '../src/gradients/register.js';
import {
  bitsPerDimToNats,
  dequantizationOffset,
  likelihoodMetrics,
  logAddExp,
  logMeanExp,
  logSumExp,
  natsToBitsPerDim,
  streamingLogMeanExp,
} from '../src/likelihood/index.js';
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
