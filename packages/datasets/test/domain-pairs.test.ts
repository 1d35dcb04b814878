/**
 * The unpaired domain pairs built from mnist-10k: each example is [a digit, the transform of another
 * digit of the same split], the B sides run through every digit of the split once, the pairing is
 * seeded by `pairSeed`, and bad options are errors naming the key.
 */
import { ConfigError } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type InMemoryDataset, loadDataset } from '../src/node.js';
import { tf, useCpu } from './helpers.js';

beforeAll(useCpu);

const PIXELS = 784;
const LIMITS = { trainLimit: 400, testLimit: 300 };

/** Every example's A and B images as 8-bit levels, and the labels. */
function pairBytes(dataset: InMemoryDataset): { a: Uint8Array[]; b: Uint8Array[]; labels: number[] } {
  const batch = dataset.getBatch(Array.from({ length: dataset.size }, (_, i) => i));
  const v = batch.x.dataSync();
  const image = (i: number, side: number) =>
    Uint8Array.from(v.subarray((2 * i + side) * PIXELS, (2 * i + side + 1) * PIXELS), (p) =>
      Math.round(p * 255),
    );
  const out = {
    a: Array.from({ length: dataset.size }, (_, i) => image(i, 0)),
    b: Array.from({ length: dataset.size }, (_, i) => image(i, 1)),
    labels: Array.from(batch.labels!.dataSync()),
  };
  tf.dispose([batch.x, batch.labels, batch.condition]);
  return out;
}

const invert = (image: Uint8Array) => image.map((k) => 255 - k);
/** The inverse of a 90° counter-clockwise rotation: 90° clockwise, out[r][c] = image[27 − c][r]. */
const rotateBack = (image: Uint8Array) =>
  image.map((_, i) => image[(27 - (i % 28)) * 28 + Math.floor(i / 28)]);

/** For each example, the index of the A digit its B image is the transform of (−1 when none). */
function partnerIndices(dataset: InMemoryDataset, inverse: (image: Uint8Array) => Uint8Array): number[] {
  const { a, b } = pairBytes(dataset);
  const index = new Map(a.map((digit, i) => [digit.join(), i]));
  return b.map((image) => index.get(inverse(image).join()) ?? -1);
}

describe('mnist-10k domain pairs', () => {
  it('are pairs [2, 28, 28, 1] whose A side is the mnist-10k digit with its label', async () => {
    const pairs = await loadDataset('mnist-10k-inverted', LIMITS);
    const digits = await loadDataset('mnist-10k', LIMITS);
    expect([pairs.train.size, pairs.test.size]).toEqual([400, 300]);
    expect(pairs.train.eventShape).toEqual([2, 28, 28, 1]);
    expect(pairs.test.numClasses).toBe(10);
    expect(pairs.train.values).toEqual({ kind: 'continuous', range: [0, 1], levels: 256 });
    const { a, labels } = pairBytes(pairs.test);
    const batch = digits.test.getBatch(Array.from({ length: 300 }, (_, i) => i));
    const v = batch.x.dataSync();
    a.forEach((digit, i) => {
      expect(Array.from(digit)).toEqual(
        Array.from(v.subarray(i * PIXELS, (i + 1) * PIXELS), (p) => Math.round(p * 255)),
      );
    });
    expect(labels).toEqual(Array.from(batch.labels!.dataSync()));
    tf.dispose([batch.x, batch.labels, batch.condition]);
    const full = await loadDataset('mnist-10k-rotated');
    expect([full.train.size, full.test.size]).toEqual([9000, 1000]);
  });

  it.each([
    ['mnist-10k-inverted', invert],
    ['mnist-10k-rotated', rotateBack],
  ] as const)(
    '%s: B is the transform of another digit of the same split, each digit once',
    async (name, inverse) => {
      const { train, test } = await loadDataset(name, LIMITS);
      for (const split of [train, test]) {
        const partner = partnerIndices(split, inverse);
        expect(partner.every((j) => j >= 0)).toBe(true);
        expect(partner.every((j, i) => j !== i)).toBe(true);
        expect(new Set(partner).size).toBe(split.size);
      }
    },
  );

  it('scales both sides to [−1, 1]: a blank pixel is −1 in A and +1 in B when inverted', async () => {
    const { test } = await loadDataset('mnist-10k-inverted', { testLimit: 10, range: [-1, 1] });
    expect(test.values).toEqual({ kind: 'continuous', range: [-1, 1], levels: 256 });
    const { x } = test.getBatch([0]);
    const v = x.dataSync();
    expect([v[0], v[PIXELS]]).toEqual([-1, 1]);
    expect(Math.min(...v)).toBe(-1);
    expect(Math.max(...v)).toBe(1);
    x.dispose();
  });

  it('pairs the same way for the same pairSeed and differently for another, keeping the A sides', async () => {
    const options = { ...LIMITS, validation: { count: 100 } };
    const first = await loadDataset('mnist-10k-inverted', options);
    const again = await loadDataset('mnist-10k-inverted', options);
    const other = await loadDataset('mnist-10k-inverted', { ...options, pairSeed: 1 });
    expect([first.train.size, first.validation?.size]).toEqual([300, 100]);
    expect(pairBytes(again.train).b).toEqual(pairBytes(first.train).b);
    expect(pairBytes(other.train).a).toEqual(pairBytes(first.train).a);
    expect(partnerIndices(other.test, invert)).not.toEqual(partnerIndices(first.test, invert));
    expect(first.spec.options).toMatchObject({ pairSeed: 0, range: [0, 1] });
  });

  it('rejects unknown and invalid options, naming the key', async () => {
    await expect(loadDataset('mnist-10k-inverted', { binarize: 'static' })).rejects.toThrow(
      /unknown key\(s\) "binarize"/,
    );
    await expect(loadDataset('mnist-10k-rotated', { flatten: true })).rejects.toThrow(ConfigError);
    await expect(loadDataset('mnist-10k-inverted', { range: [0, 2] })).rejects.toThrow(
      /range must be \[0, 1\] or \[-1, 1\]/,
    );
    await expect(loadDataset('mnist-10k-inverted', { pairSeed: -1 })).rejects.toThrow(/pairSeed/);
    await expect(loadDataset('mnist-10k-rotated', { trainLimit: 0 })).rejects.toThrow(/trainLimit/);
  });
});
