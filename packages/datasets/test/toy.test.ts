import { Random } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type InMemoryDataset, loadDataset, TOY_GENERATORS } from '../src/index.js';
import { tf, useCpu } from './helpers.js';

beforeAll(useCpu);

// biome-ignore lint/suspicious/noApproximativeNumericConstant: FFJORD divides by the literal 1.414.
const FFJORD_DIVISOR = 1.414;

function points(dataset: InMemoryDataset): { xy: Float32Array; labels?: Int32Array } {
  const { x, labels, condition } = dataset.getBatch(Array.from({ length: dataset.size }, (_, i) => i));
  const out = { xy: x.dataSync() as Float32Array, labels: labels?.dataSync() as Int32Array | undefined };
  tf.dispose([x, labels, condition]);
  return out;
}

/** Mean of the points with label k. */
function classMean(xy: Float32Array, labels: Int32Array, k: number): [number, number] {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== k) continue;
    sx += xy[2 * i];
    sy += xy[2 * i + 1];
    n++;
  }
  return [sx / n, sy / n];
}

describe('2-D toy sets', () => {
  it.each(TOY_GENERATORS.map((g) => [g.name]))(
    '%s: deterministic per seed, train ≠ test, finite 2-D points',
    async (name) => {
      const a = await loadDataset(name, { n: 500, testSize: 200, seed: 1 });
      const b = await loadDataset(name, { n: 500, testSize: 200, seed: 1 });
      const c = await loadDataset(name, { n: 500, testSize: 200, seed: 2 });
      expect(a.train.size).toBe(500);
      expect(a.test.size).toBe(200);
      expect(a.train.eventShape).toEqual([2]);
      const train = points(a.train).xy;
      expect(points(b.train).xy).toEqual(train);
      expect(points(c.train).xy).not.toEqual(train);
      expect(points(a.test).xy).not.toEqual(train.subarray(0, 400));
      expect(train.every(Number.isFinite)).toBe(true);
    },
  );

  it('moons: two clusters whose means match the closed form', async () => {
    const { train } = await loadDataset('moons', { n: 4000, noise: 0.05 });
    const { xy, labels } = points(train);
    expect(train.numClasses).toBe(2);
    // Outer moon 2(cos t, sin t) + (−1, −0.2), t uniform on [0, π]: E = (−1, 4/π − 0.2).
    const [ox, oy] = classMean(xy, labels!, 0);
    expect(ox).toBeCloseTo(-1, 1);
    expect(oy).toBeCloseTo(4 / Math.PI - 0.2, 1);
    // Inner moon 2(1 − cos t, 1/2 − sin t) + (−1, −0.2): E = (1, 0.8 − 4/π).
    const [ix, iy] = classMean(xy, labels!, 1);
    expect(ix).toBeCloseTo(1, 1);
    expect(iy).toBeCloseTo(0.8 - 4 / Math.PI, 1);
    expect(Array.from(labels!).filter((l) => l === 1).length).toBe(2000);
  });

  it('8gaussians: each component centred at 4(cos kπ/4, sin kπ/4)/1.414', async () => {
    const { train } = await loadDataset('8gaussians', { n: 8000 });
    const { xy, labels } = points(train);
    for (let k = 0; k < 8; k++) {
      const [mx, my] = classMean(xy, labels!, k);
      // Standard error per coordinate ≈ (0.5/1.414)/√1000 ≈ 0.011.
      expect(Math.abs(mx - (4 * Math.cos((k * Math.PI) / 4)) / FFJORD_DIVISOR)).toBeLessThan(0.05);
      expect(Math.abs(my - (4 * Math.sin((k * Math.PI) / 4)) / FFJORD_DIVISOR)).toBeLessThan(0.05);
    }
  });

  it('checkerboard: every point on a black square of [-4, 4]², about half of the board area per row', async () => {
    const { train } = await loadDataset('checkerboard', { n: 2000 });
    expect(train.values).toEqual({ kind: 'continuous', range: [-4, 4] });
    const { xy } = points(train);
    for (let i = 0; i < 2000; i++) {
      const cx = Math.floor(xy[2 * i] / 2);
      const cy = Math.floor(xy[2 * i + 1] / 2);
      expect(Math.abs(xy[2 * i])).toBeLessThanOrEqual(4);
      expect(Math.abs(xy[2 * i + 1])).toBeLessThanOrEqual(4);
      // FFJORD's board: x2 cell parity equals x1 cell parity.
      expect((((cx + cy) % 2) + 2) % 2).toBe(0);
    }
  });

  it('circles: radii 3 and 1.5 without noise; swissroll: radius grows with the angle', async () => {
    const { train } = await loadDataset('circles', { n: 100, noise: 0 });
    const { xy, labels } = points(train);
    for (let i = 0; i < 100; i++) {
      expect(Math.hypot(xy[2 * i], xy[2 * i + 1])).toBeCloseTo(labels![i] === 0 ? 3 : 1.5, 5);
    }
    const roll = points((await loadDataset('swissroll', { n: 200, noise: 0 })).train).xy;
    for (let i = 0; i < 200; i++) {
      const r = 5 * Math.hypot(roll[2 * i], roll[2 * i + 1]);
      expect(r).toBeGreaterThanOrEqual(1.5 * Math.PI - 1e-4);
      expect(r).toBeLessThanOrEqual(4.5 * Math.PI + 1e-4);
    }
  });

  it('pinwheel: five arms with labels', () => {
    const pinwheel = TOY_GENERATORS.find((g) => g.name === 'pinwheel')!;
    const { labels } = pinwheel.generate(1000, new Random(0), pinwheel.defaultNoise);
    const counts = [0, 0, 0, 0, 0];
    for (const l of labels!) counts[l]++;
    expect(counts.every((c) => c > 150)).toBe(true);
  });

  it('splits off a seeded validation set from the training points', async () => {
    const splits = await loadDataset('moons', { n: 1000, validation: { fraction: 0.2 }, splitSeed: 4 });
    expect(splits.train.size).toBe(800);
    expect(splits.validation?.size).toBe(200);
    expect(splits.validation?.name).toBe('moons/validation');
  });
});
