import { DataError } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dynamicBinarization,
  InMemoryDataset,
  scaleTo,
  staticBinarization,
  type Transform,
  uniformDequantization,
} from '../src/index.js';
import { tf, useCpu } from './helpers.js';

beforeAll(useCpu);

const SIZE = 200;
const PIXELS = 100;

/** 200 byte images of 100 pixels; pixel j of every image has level (j · 7) mod 256. */
function bytes(): InMemoryDataset {
  const examples = new Uint8Array(SIZE * PIXELS);
  for (let i = 0; i < examples.length; i++) examples[i] = ((i % PIXELS) * 7) % 256;
  return InMemoryDataset.fromArrays({ name: 'bytes/train', eventShape: [PIXELS], examples });
}

/** Constant grey images of intensity p (byte round(255p)). */
function grey(level: number, size = SIZE): InMemoryDataset {
  return InMemoryDataset.fromArrays({
    name: 'grey/train',
    eventShape: [PIXELS],
    examples: new Uint8Array(size * PIXELS).fill(level),
  });
}

function all(dataset: InMemoryDataset, seed?: number): Float32Array {
  const { x } = dataset.getBatch(
    Array.from({ length: dataset.size }, (_, i) => i),
    seed === undefined ? {} : { seed },
  );
  const values = x.dataSync() as Float32Array;
  x.dispose();
  return values;
}

function mean(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe('scaleTo', () => {
  it('maps [0, 1] bytes to [-1, 1] by folding into the decode map, keeping the level count', () => {
    const scaled = bytes().withTransforms(scaleTo([-1, 1]));
    expect(scaled.values).toEqual({ kind: 'continuous', range: [-1, 1], levels: 256 });
    const v = all(scaled.take(1));
    for (let j = 0; j < PIXELS; j++) expect(v[j]).toBeCloseTo((2 * ((j * 7) % 256)) / 255 - 1, 6);
    expect(scaled.describe().transforms).toEqual(['scale[-1, 1]']);
  });

  it('refuses binary and unbounded data', () => {
    expect(() => grey(128).withTransforms(staticBinarization(0), scaleTo([-1, 1]))).toThrow(DataError);
    const unbounded = InMemoryDataset.fromArrays({
      name: 'u',
      eventShape: [1],
      examples: new Float32Array([0, 1]),
      values: { kind: 'continuous', range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] },
    });
    expect(() => unbounded.withTransforms(scaleTo([0, 1]))).toThrow(/unbounded/);
  });
});

describe('static binarization', () => {
  it('draws x ~ Bernoulli(p) once: fixed for a seed, other seeds differ, mean p', () => {
    const data = grey(77); // p = 77/255 ≈ 0.302
    const a = all(data.withTransforms(staticBinarization(0)), 1);
    const again = all(data.withTransforms(staticBinarization(0)), 2);
    const other = all(data.withTransforms(staticBinarization(1)), 1);
    expect(new Set(a)).toEqual(new Set([0, 1]));
    expect(again).toEqual(a);
    expect(other).not.toEqual(a);
    // 20,000 draws: the standard error of the mean is √(p(1−p)/n) ≈ 0.0032.
    expect(Math.abs(mean(a) - 77 / 255)).toBeLessThan(0.015);
    expect(data.withTransforms(staticBinarization(0)).values).toEqual({ kind: 'binary' });
  });

  it('gives a subset the same pixels the full set has (the draw depends on the example, not the view)', () => {
    const data = bytes();
    const binarizedThenSubset = all(data.withTransforms(staticBinarization(5)).subset([150, 3]));
    const subsetThenBinarized = all(data.subset([150, 3]).withTransforms(staticBinarization(5)));
    expect(subsetThenBinarized).toEqual(binarizedThenSubset);
  });

  it('keeps labels aligned when it compacts a subset', () => {
    const data = InMemoryDataset.fromArrays({
      name: 'l',
      eventShape: [1],
      examples: new Uint8Array([0, 255, 0, 255]),
      labels: new Int32Array([0, 1, 0, 1]),
      numClasses: 2,
    });
    const sub = data.subset([3, 0]).withTransforms(staticBinarization(0));
    const { x, labels, condition } = sub.getBatch([0, 1]);
    expect(Array.from(x.dataSync())).toEqual([1, 0]);
    expect(Array.from(labels!.dataSync())).toEqual([1, 0]);
    tf.dispose([x, labels, condition]);
  });

  it('needs intensities in [0, 1]', () => {
    expect(() => grey(3).withTransforms(scaleTo([-1, 1]), staticBinarization(0))).toThrow(
      /needs intensities/,
    );
  });
});

describe('dynamic binarization', () => {
  it('draws afresh per batch seed, reproducibly, with mean p', () => {
    const data = grey(179).withTransforms(dynamicBinarization()); // p ≈ 0.702
    const a = all(data, 11);
    expect(all(data, 11)).toEqual(a);
    const b = all(data, 12);
    expect(b).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 1]));
    expect(Math.abs(mean(a) - 179 / 255)).toBeLessThan(0.015);
    expect(Math.abs(mean(b) - 179 / 255)).toBeLessThan(0.015);
  });

  it('differs between the batches of an epoch and leaks no tensors', () => {
    const data = grey(128, 40).withTransforms(dynamicBinarization());
    const before = tf.memory().numTensors;
    const batches = [...data.batches({ batchSize: 20 })].map((batch) => {
      const values = batch.x.dataSync().slice();
      batch.x.dispose();
      return values;
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(batches[1]).not.toEqual(batches[0]);
  });

  it('cannot precede a transform that only has a fixed form', () => {
    // A fixed-only transform that accepts any values, so only the ordering rule can refuse it.
    const fixedOnly: Transform = {
      description: 'fixed-only',
      bind: (values) => ({ description: 'fixed-only', values, fixed: (store, rows) => ({ store, rows }) }),
    };
    expect(() => grey(1).withTransforms(dynamicBinarization(), fixedOnly)).toThrow(
      /fixed-only is applied once to the stored examples, so it must come before the per-batch transform\(s\) binarize\(dynamic\)/,
    );
    expect(grey(1).withTransforms(fixedOnly, dynamicBinarization()).describe().transforms).toEqual([
      'fixed-only',
      'binarize(dynamic)',
    ]);
  });
});

describe('uniform dequantization', () => {
  it('gives (255·x + u)/256 with u ~ U[0, 1): each value within its level bin, uniform inside it', () => {
    const data = bytes().withTransforms(uniformDequantization());
    expect(data.values).toEqual({ kind: 'continuous', range: [0, 1], levels: 256, dequantized: true });
    const v = all(data, 3);
    let offsetSum = 0;
    const outside: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const level = ((i % PIXELS) * 7) % 256;
      if (!(v[i] >= level / 256 && v[i] < (level + 1) / 256)) outside.push(i);
      offsetSum += v[i] * 256 - level;
    }
    expect(outside).toEqual([]);
    // The offsets u are U[0, 1): mean 1/2, standard error √(1/12 / 20,000) ≈ 0.002.
    expect(Math.abs(offsetSum / v.length - 0.5)).toBeLessThan(0.01);
    expect(all(data, 3)).toEqual(v);
    expect(all(data, 4)).not.toEqual(v);
  });

  it('stays below 1 at the top level and composes with a later rescale (run per batch)', () => {
    const top = grey(255).withTransforms(uniformDequantization(), scaleTo([-1, 1]));
    expect(top.describe().transforms).toEqual(['dequantize(uniform, levels=256)', 'scale[-1, 1]']);
    const v = all(top, 9);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(1 - 2 / 256);
  });

  it('refuses data without 256 levels and data already dequantized', () => {
    const floats = InMemoryDataset.fromArrays({
      name: 'f',
      eventShape: [1],
      examples: new Float32Array([0, 1]),
    });
    expect(() => floats.withTransforms(uniformDequantization())).toThrow(/needs 256-level data/);
    expect(() => grey(0).withTransforms(uniformDequantization(), uniformDequantization())).toThrow(DataError);
  });
});
