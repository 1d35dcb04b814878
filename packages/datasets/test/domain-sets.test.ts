/**
 * The unpaired multi-domain set built from mnist-10k: the transforms on hand-made images, every example
 * one mnist-10k digit of the same split under its label's transform, each digit in exactly one domain
 * (so no digit is seen in two domains), balanced domains, seeded assignment, and bad options named.
 */
import { ConfigError } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVERT, ROTATE_90, THICKEN, THIN, UPRIGHT } from '../src/loaders/domain-pairs.js';
import { DIGIT_DOMAINS } from '../src/loaders/domain-sets.js';
import { getDatasetDefinition, type InMemoryDataset, loadDataset } from '../src/node.js';
import { tf, useCpu } from './helpers.js';

beforeAll(useCpu);

const PIXELS = 784;
const LIMITS = { trainLimit: 500, testLimit: 300 };

/** Every example as 8-bit levels, and the labels. */
function bytes(dataset: InMemoryDataset): { images: Uint8Array[]; labels: number[] } {
  const batch = dataset.getBatch(Array.from({ length: dataset.size }, (_, i) => i));
  const v = batch.x.dataSync();
  const images = Array.from({ length: dataset.size }, (_, i) =>
    Uint8Array.from(v.subarray(i * PIXELS, (i + 1) * PIXELS), (p) => Math.round(p * 255)),
  );
  const labels = Array.from(batch.labels!.dataSync());
  tf.dispose([batch.x, batch.labels, batch.condition]);
  return { images, labels };
}

/** A 28 × 28 image with the given (row, column) pixels at 200 and the rest 0. */
function image(on: Array<[number, number]>): Uint8Array {
  const out = new Uint8Array(PIXELS);
  for (const [r, c] of on) out[r * 28 + c] = 200;
  return out;
}

const apply = (transform: typeof THIN, x: Uint8Array) => {
  const out = new Uint8Array(PIXELS);
  transform.apply(x, out);
  return out;
};

const lit = (x: Uint8Array) =>
  Array.from(x.entries())
    .filter(([, v]) => v > 0)
    .map(([i]) => [Math.floor(i / 28), i % 28]);

describe('mnist-10k-domains', () => {
  it('transforms: dilation grows a pixel to its 3 × 3 block, erosion keeps only a cross centre', () => {
    expect(lit(apply(THICKEN, image([[5, 0]])))).toEqual([
      [4, 0],
      [4, 1],
      [5, 0],
      [5, 1],
      [6, 0],
      [6, 1],
    ]);
    const cross = image([
      [10, 10],
      [9, 10],
      [11, 10],
      [10, 9],
      [10, 11],
    ]);
    expect(lit(apply(THIN, cross))).toEqual([[10, 10]]);
    // A 2-pixel-wide vertical bar keeps nothing under a cross erosion; a 3-wide one keeps its middle column.
    const bar = (width: number) =>
      image(Array.from({ length: 10 * width }, (_, i) => [5 + Math.floor(i / width), 3 + (i % width)]));
    expect(lit(apply(THIN, bar(2)))).toEqual([]);
    expect(new Set(lit(apply(THIN, bar(3))).map(([, c]) => c))).toEqual(new Set([4]));
    expect(Array.from(apply(UPRIGHT, cross))).toEqual(Array.from(cross));
  });

  it('is 5 balanced domains of 28 × 28 images, labelled with their domain and named', async () => {
    const data = await loadDataset('mnist-10k-domains', LIMITS);
    expect(data.train.eventShape).toEqual([28, 28, 1]);
    expect([data.train.size, data.test.size]).toEqual([500, 300]);
    expect(data.train.numClasses).toBe(5);
    expect(getDatasetDefinition('mnist-10k-domains').domainNames).toEqual([
      'upright',
      'rotated',
      'inverted',
      'thick',
      'thin',
    ]);
    for (const split of [data.train, data.test]) {
      const counts = [0, 0, 0, 0, 0];
      for (const label of bytes(split).labels) counts[label]++;
      expect(counts).toEqual(counts.map(() => split.size / 5));
    }
    const full = await loadDataset('mnist-10k-domains');
    expect([full.train.size, full.test.size]).toEqual([9000, 1000]);
  });

  it("each example is a digit of the same split under its label's transform, each digit in one domain only", async () => {
    const domains = await loadDataset('mnist-10k-domains', LIMITS);
    const digits = await loadDataset('mnist-10k', LIMITS);
    for (const split of ['train', 'test'] as const) {
      const { images, labels } = bytes(domains[split]);
      const source = bytes(digits[split]).images;
      // Every transform of every digit, to find where each example comes from (and whether it could
      // come from elsewhere).
      const origin = new Map<string, Array<[number, number]>>();
      source.forEach((digit, i) => {
        DIGIT_DOMAINS.forEach(({ transform }, k) => {
          const key = apply(transform, digit).join();
          origin.set(key, [...(origin.get(key) ?? []), [i, k]]);
        });
      });
      const used = new Set<number>();
      images.forEach((x, i) => {
        const from = origin.get(x.join()) ?? [];
        expect(from, `${split} example ${i}`).toContainEqual([i, labels[i]]);
        used.add(i);
      });
      // Each digit is shown once, under one transform: no digit in two domains.
      expect(used.size).toBe(source.length);
      const seen = new Set(images.map((x) => x.join()));
      source.forEach((digit, i) => {
        const shown = DIGIT_DOMAINS.filter(({ transform }) => seen.has(apply(transform, digit).join()));
        expect(shown.length, `${split} digit ${i}`).toBe(1);
      });
    }
    // The transforms are the shared ones of the domain pairs.
    expect(DIGIT_DOMAINS.map((d) => d.transform)).toEqual([UPRIGHT, ROTATE_90, INVERT, THICKEN, THIN]);
  });

  it('assigns domains the same way for the same domainSeed and differently for another', async () => {
    const first = bytes((await loadDataset('mnist-10k-domains', LIMITS)).test).labels;
    const again = bytes((await loadDataset('mnist-10k-domains', LIMITS)).test).labels;
    const other = bytes((await loadDataset('mnist-10k-domains', { ...LIMITS, domainSeed: 1 })).test).labels;
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const spec = (await loadDataset('mnist-10k-domains', { ...LIMITS, range: [-1, 1] })).spec;
    expect(spec.options).toMatchObject({ domainSeed: 0, range: [-1, 1] });
  });

  it('rejects unknown and invalid options, naming the key', async () => {
    await expect(loadDataset('mnist-10k-domains', { binarize: 'static' })).rejects.toThrow(
      /unknown key\(s\) "binarize"/,
    );
    await expect(loadDataset('mnist-10k-domains', { flatten: true })).rejects.toThrow(ConfigError);
    await expect(loadDataset('mnist-10k-domains', { domainSeed: -1 })).rejects.toThrow(/domainSeed/);
    await expect(loadDataset('mnist-10k-domains', { pairSeed: 1 })).rejects.toThrow(/pairSeed/);
  });
});
