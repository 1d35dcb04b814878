import { DataError, ShapeError } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDataset, splitValidation } from '../src/index.js';
import { tf, useCpu } from './helpers.js';

beforeAll(useCpu);

/** 10 examples of shape [2, 2]; example i has all values i/10, label i mod 3. */
function tiny(size = 10): InMemoryDataset {
  const examples = new Float32Array(size * 4);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    examples.fill(i / 10, i * 4, (i + 1) * 4);
    labels[i] = i % 3;
  }
  return InMemoryDataset.fromArrays({
    name: 'tiny/train',
    eventShape: [2, 2],
    examples,
    labels,
    numClasses: 3,
  });
}

/** The example ids in a batch (value · 10 of its first pixel). */
function ids(x: tf.Tensor): number[] {
  const values = x.dataSync();
  const per = values.length / x.shape[0];
  return Array.from({ length: x.shape[0] }, (_, i) => Math.round(values[i * per] * 10));
}

describe('InMemoryDataset', () => {
  it('gathers a batch with labels and one-hot conditions', () => {
    const data = tiny();
    expect(data.size).toBe(10);
    expect(data.values).toEqual({ kind: 'continuous', range: [0, Math.fround(0.9)] });
    const batch = data.getBatch([4, 1, 9]);
    expect(batch.x.shape).toEqual([3, 2, 2]);
    expect(batch.x.dtype).toBe('float32');
    expect(ids(batch.x)).toEqual([4, 1, 9]);
    expect(batch.labels?.dtype).toBe('int32');
    expect(Array.from(batch.labels!.dataSync())).toEqual([1, 1, 0]);
    expect(batch.condition?.shape).toEqual([3, 3]);
    expect(Array.from(batch.condition!.dataSync())).toEqual([0, 1, 0, 0, 1, 0, 1, 0, 0]);
    tf.dispose([batch.x, batch.labels, batch.condition]);
  });

  it('reads bytes as byte/255 with 256 levels', () => {
    const data = InMemoryDataset.fromArrays({
      name: 'b',
      eventShape: [3],
      examples: new Uint8Array([0, 128, 255]),
    });
    expect(data.values).toEqual({ kind: 'continuous', range: [0, 1], levels: 256 });
    const { x } = data.getBatch([0]);
    const v = x.dataSync();
    expect(v[0]).toBe(0);
    expect(v[1]).toBeCloseTo(128 / 255, 6);
    expect(v[2]).toBe(1);
    x.dispose();
  });

  it('rejects inconsistent arrays and bad indices with errors that say what is wrong', () => {
    const base = { name: 'bad', eventShape: [2] };
    expect(() => InMemoryDataset.fromArrays({ ...base, examples: new Float32Array(3) })).toThrow(ShapeError);
    expect(() =>
      InMemoryDataset.fromArrays({ ...base, examples: new Float32Array(4), labels: new Int32Array([0, 1]) }),
    ).toThrow(/numClasses/);
    expect(() =>
      InMemoryDataset.fromArrays({
        ...base,
        examples: new Float32Array(4),
        labels: new Int32Array([0]),
        numClasses: 2,
      }),
    ).toThrow(/1 labels for 2 examples/);
    expect(() =>
      InMemoryDataset.fromArrays({
        ...base,
        examples: new Float32Array(4),
        labels: new Int32Array([0, 2]),
        numClasses: 2,
      }),
    ).toThrow(DataError);
    expect(() => tiny().getBatch([10])).toThrow(/index 10 is outside \[0, 10\)/);
    expect(() => tiny().getBatch([0.5])).toThrow(RangeError);
  });

  it('yields epochs in order, with dropLast and startBatch', () => {
    const data = tiny();
    const all = [...data.batches({ batchSize: 4 })];
    expect(all.map((b) => ids(b.x))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(data.numBatches({ batchSize: 4 })).toBe(3);
    const dropped = [...data.batches({ batchSize: 4, dropLast: true })];
    expect(dropped.map((b) => ids(b.x))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    const resumed = [...data.batches({ batchSize: 4, startBatch: 2 })];
    expect(resumed.map((b) => ids(b.x))).toEqual([[8, 9]]);
    expect([...data.batches({ batchSize: 4, startBatch: 3 })]).toHaveLength(0);
    expect(() => [...data.batches({ batchSize: 4, startBatch: 4 })]).toThrow(/startBatch/);
    expect(() => [...data.batches({ batchSize: 0 })]).toThrow(/batchSize/);
    for (const b of [...all, ...dropped, ...resumed]) tf.dispose([b.x, b.labels, b.condition]);
  });

  it('shuffles with a permutation of (seed, epoch) that a resumed run reproduces', () => {
    const data = tiny();
    const epochIds = (seed: number, epoch: number, startBatch = 0) =>
      [...data.batches({ batchSize: 3, shuffle: true, seed, epoch, startBatch })].flatMap((b) => {
        const out = ids(b.x);
        tf.dispose([b.x, b.labels, b.condition]);
        return out;
      });
    const first = epochIds(7, 0);
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochIds(7, 0)).toEqual(first);
    expect(epochIds(7, 1)).not.toEqual(first);
    expect(epochIds(8, 0)).not.toEqual(first);
    expect(epochIds(7, 0, 2)).toEqual(first.slice(6));
  });

  it('leaks no tensors: numTensors is flat after iterating and disposing', () => {
    const data = tiny(50);
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const batch of data.batches({ batchSize: 8, shuffle: true, epoch })) {
        tf.dispose([batch.x, batch.labels, batch.condition]);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('makes subsets, prefixes and reshaped views that share the examples', () => {
    const data = tiny();
    const sub = data.subset([7, 2, 5], 'tiny/sub');
    expect(sub.size).toBe(3);
    expect(sub.name).toBe('tiny/sub');
    expect(Array.from(sub.labelArray()!)).toEqual([1, 2, 2]);
    const nested = sub.subset([2, 0]);
    const { x, labels } = nested.getBatch([0, 1]);
    expect(ids(x)).toEqual([5, 7]);
    expect(Array.from(labels!.dataSync())).toEqual([2, 1]);
    tf.dispose([x, labels]);
    expect(data.take(4).size).toBe(4);
    const flat = data.reshape([4]);
    expect(flat.eventShape).toEqual([4]);
    const batch = flat.getBatch([1]);
    expect(batch.x.shape).toEqual([1, 4]);
    tf.dispose([batch.x, batch.labels, batch.condition]);
    expect(() => data.reshape([5])).toThrow(ShapeError);
    expect(data.describe()).toEqual({
      name: 'tiny/train',
      size: 10,
      eventShape: [2, 2],
      numClasses: 3,
      values: { kind: 'continuous', range: [0, Math.fround(0.9)] },
      transforms: [],
    });
  });
});

describe('splitValidation', () => {
  it('holds out a seeded fraction or count, disjoint from train, each side in original order', () => {
    const data = tiny(100);
    const { train, validation } = splitValidation(data, { fraction: 0.1 }, 3);
    expect(train.size).toBe(90);
    expect(validation.size).toBe(10);
    expect(train.name).toBe('tiny/train');
    expect(validation.name).toBe('tiny/validation');
    const idsOf = (d: InMemoryDataset) => {
      const { x, labels, condition } = d.getBatch(Array.from({ length: d.size }, (_, i) => i));
      const out = ids(x);
      tf.dispose([x, labels, condition]);
      return out;
    };
    const t = idsOf(train);
    const v = idsOf(validation);
    expect([...t, ...v].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(t).toEqual([...t].sort((a, b) => a - b));
    expect(idsOf(splitValidation(data, { fraction: 0.1 }, 3).validation)).toEqual(v);
    expect(idsOf(splitValidation(data, { fraction: 0.1 }, 4).validation)).not.toEqual(v);
    expect(splitValidation(data, { count: 25 }).validation.size).toBe(25);
    expect(() => splitValidation(data, { count: 100 })).toThrow(/at least one example on each side/);
  });
});
