/**
 * The binarized-data protocol of `binarize: 'dynamic'`: fresh Bernoulli draws for every training batch,
 * one fixed (static, seeded) binarization of the held-out splits, so that evaluation is deterministic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type InMemoryDataset, loadDataset } from '../src/node.js';
import { tf, useCpu } from './helpers.js';

beforeAll(useCpu);

const indices = [0, 7, 123, 299];

function pixels(dataset: InMemoryDataset, seed: number): number[] {
  const batch = dataset.getBatch(indices, { seed });
  const values = Array.from(batch.x.dataSync());
  tf.dispose([batch.x, batch.labels, batch.condition]);
  return values;
}

describe("binarize: 'dynamic'", () => {
  const limits = { trainLimit: 1500, testLimit: 300, validation: { count: 300 }, flatten: true };

  it('draws the training pixels afresh per batch seed, and binarizes test and validation once', async () => {
    const dynamic = await loadDataset('mnist-10k', { ...limits, binarize: 'dynamic' });
    const { train, test, validation } = dynamic;
    expect(train.values).toEqual({ kind: 'binary' });
    expect(test.values).toEqual({ kind: 'binary' });
    expect(validation?.values).toEqual({ kind: 'binary' });
    expect(train.describe().transforms).toEqual(['binarize(dynamic)']);
    expect(test.describe().transforms).toEqual([expect.stringMatching(/^binarize\(static, seed=\d+\)$/)]);

    const [a, b] = [pixels(train, 1), pixels(train, 2)];
    expect(new Set(a)).toEqual(new Set([0, 1]));
    expect(a).not.toEqual(b);
    expect(pixels(train, 1)).toEqual(a);

    for (const heldOut of [test, validation!]) {
      const first = pixels(heldOut, 1);
      expect(new Set(first)).toEqual(new Set([0, 1]));
      expect(pixels(heldOut, 2)).toEqual(first);
    }
  });

  it("gives held-out splits exactly the pixels `binarize: 'static'` gives them, from binarizeSeed", async () => {
    const dynamic = await loadDataset('mnist-10k', { ...limits, binarize: 'dynamic' });
    const fixed = await loadDataset('mnist-10k', { ...limits, binarize: 'static' });
    expect(pixels(dynamic.test, 5)).toEqual(pixels(fixed.test, 6));
    expect(pixels(dynamic.validation!, 5)).toEqual(pixels(fixed.validation!, 6));

    const reseeded = await loadDataset('mnist-10k', { ...limits, binarize: 'dynamic', binarizeSeed: 1 });
    expect(pixels(reseeded.test, 5)).not.toEqual(pixels(dynamic.test, 5));
  });

  it('binarizes each held-out example as a Bernoulli draw of its grey levels', async () => {
    const grey = await loadDataset('mnist-10k', { testLimit: 300, flatten: true });
    const dynamic = await loadDataset('mnist-10k', { testLimit: 300, flatten: true, binarize: 'dynamic' });
    const all = Array.from({ length: 300 }, (_, i) => i);
    const p = grey.test.getBatch(all);
    const x = dynamic.test.getBatch(all);
    // Σ(x − p) over the drawn pixels is a sum of independent zero-mean terms with variance Σ p(1 − p).
    const [pv, xv] = [p.x.dataSync(), x.x.dataSync()];
    let diff = 0;
    let variance = 0;
    for (let i = 0; i < pv.length; i++) {
      diff += xv[i] - pv[i];
      variance += pv[i] * (1 - pv[i]);
      if (pv[i] === 0) expect(xv[i]).toBe(0);
      if (pv[i] === 1) expect(xv[i]).toBe(1);
    }
    expect(Math.abs(diff)).toBeLessThan(4 * Math.sqrt(variance));
    tf.dispose([p.x, p.labels, p.condition, x.x, x.labels, x.condition]);
  });
});
