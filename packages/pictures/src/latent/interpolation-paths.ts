/**
 * Paths between two latent codes, evaluated at t ∈ [0, 1] (t = 0 gives a, t = 1 gives b).
 *
 * Under a N(0, I) prior in d dimensions, codes concentrate near the sphere of radius √d, while the linear
 * path's midpoint has norm about √(d/2) for independent endpoints — a region the decoder rarely saw
 * in training. The spherical path (Shoemake 1985; White, "Sampling Generative Networks", 2016) follows the
 * great circle instead:
 *
 *   lerp(a, b; t)  = (1 − t)·a + t·b
 *   slerp(a, b; t) = sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b,   cos θ = ⟨a, b⟩ / (‖a‖‖b‖)
 *
 * For equal-norm endpoints slerp keeps that norm all the way; in general the norm varies smoothly between
 * ‖a‖ and ‖b‖.
 */
import { ShapeError } from '@genzoo/core';

/** Below this sin θ the directions are (anti)parallel: slerp's plane is undefined and lerp is used. */
const PARALLEL_SIN = 1e-6;

function checkPair(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new ShapeError(`${what}: endpoints have different lengths (${a.length} and ${b.length})`);
  }
}

export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  checkPair('lerp', a, b);
  return Float64Array.from(a, (ai, i) => (1 - t) * ai + t * b[i]);
}

/**
 * Spherical interpolation. Falls back to lerp when an endpoint is zero or the endpoints are (anti)parallel
 * (sin θ ≈ 0), where the great circle is undefined — White's reference implementation does the same.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  checkPair('slerp', a, b);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  const norms = Math.sqrt(aa * bb);
  if (norms === 0) return lerp(a, b, t);
  // Rounding can push the cosine of (anti)parallel vectors just outside [−1, 1].
  const theta = Math.acos(Math.min(1, Math.max(-1, dot / norms)));
  const sinTheta = Math.sin(theta);
  if (sinTheta < PARALLEL_SIN) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * theta) / sinTheta;
  const wb = Math.sin(t * theta) / sinTheta;
  return Float64Array.from(a, (ai, i) => wa * ai + wb * b[i]);
}
