/** The host-side math of the latent pictures: Φ⁻¹ against high-precision references, lerp and slerp. */

import { ShapeError } from '@genzoo/core';
import { describe, expect, it } from 'vitest';
import { lerp, slerp } from '../src/latent/interpolation-paths.js';
import { normalQuantile } from '../src/latent/normal-quantile.js';

/** Φ⁻¹ at these doubles, solved to 50 digits with mpmath (log Φ(v) = log p in the tails), rounded to doubles. */
const REFERENCE: Array<[number, number]> = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.273453560965326],
  [1e-20, -9.262340089798407],
  [1e-10, -6.361340902404057],
  [1e-5, -4.264890793922825],
  [0.001, -3.0902323061678136],
  [0.01, -2.326347874040841],
  [0.025, -1.9599639845400543],
  [0.05, -1.6448536269514726],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080408],
  [0.45, -0.12566134685507402],
  [0.6, 0.2533471031357997],
  [0.975, 1.9599639845400538],
  [0.999, 3.090232306167813],
  [0.9999999, 5.199337582290661],
  [1 - 1e-12, 7.0344869100478356],
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i], 12);
}

function norm(v: ArrayLike<number>): number {
  return Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
}

function angle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return Math.acos(Math.min(1, Math.max(-1, dot / (norm(a) * norm(b)))));
}

describe('normalQuantile (AS 241)', () => {
  it('matches 50-digit references to 1e-14 relative error in all three regions', () => {
    for (const [p, expected] of REFERENCE) {
      const error = Math.abs(normalQuantile(p) - expected) / Math.abs(expected);
      expect(error, `p = ${p}`).toBeLessThan(1e-14);
    }
  });

  it('is 0 at ½, ±∞ at the ends, antisymmetric about ½ and increasing', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    // 1 − p is exact for these p, so only the approximation's own error shows.
    for (const p of [0.125, 0.25, 0.375, 0.0625, 1 / 1024]) {
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 14);
    }
    let previous = Number.NEGATIVE_INFINITY;
    for (let k = 1; k < 1000; k++) {
      const value = normalQuantile(k / 1000);
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
  });

  it('rejects probabilities outside [0, 1]', () => {
    for (const p of [-0.1, 1.5, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
    expect(() => normalQuantile(2)).toThrow('p must be in [0, 1], got 2');
  });
});

describe('lerp and slerp', () => {
  const a = [3, 0, 0];
  const b = [0, 3, 0];

  it('both start at a and end at b', () => {
    const u = [1, -2, 0.5];
    const v = [0.3, 4, -1];
    for (const path of [lerp, slerp]) {
      expectClose(path(u, v, 0), u);
      expectClose(path(u, v, 1), v);
    }
  });

  it('slerp keeps the norm of equal-norm endpoints; lerp cuts the corner (norm r/√2 halfway at 90°)', () => {
    for (let k = 0; k <= 10; k++) expect(norm(slerp(a, b, k / 10))).toBeCloseTo(3, 12);
    expect(norm(lerp(a, b, 0.5))).toBeCloseTo(3 / Math.SQRT2, 12);
  });

  it('slerp between equal-norm endpoints moves at constant angular speed: the angle to a is t·θ', () => {
    const u = [1, 2, -1, 0.5];
    const v = [-2, 0.5, 1, 3].map((x, _, w) => (x * norm(u)) / norm(w));
    const theta = angle(u, v);
    for (const t of [0.1, 0.25, 0.5, 0.9]) expect(angle(u, slerp(u, v, t))).toBeCloseTo(t * theta, 10);
  });

  it('slerp falls back to lerp for parallel, antiparallel and zero endpoints instead of dividing by sin θ ≈ 0', () => {
    for (const [u, v] of [
      [
        [1, 2],
        [2, 4],
      ],
      [
        [1, 2],
        [-1, -2],
      ],
      [
        [0, 0],
        [1, 1],
      ],
    ]) {
      const s = slerp(u, v, 0.3);
      expect(Array.from(s)).toEqual(Array.from(lerp(u, v, 0.3)));
      expect(s.every(Number.isFinite)).toBe(true);
    }
  });

  it('rejects endpoints of different lengths', () => {
    expect(() => slerp([1, 2], [1, 2, 3], 0.5)).toThrow(ShapeError);
    expect(() => lerp([1], [1, 2], 0.5)).toThrow('different lengths (1 and 2)');
  });
});
