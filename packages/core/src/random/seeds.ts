/**
 * Deterministic seeds. tfjs random ops are reproducible when given an integer seed, so every random draw
 * in genzoo takes one, and seeds are derived by hashing (run seed, purpose, counters) rather than by a
 * stateful generator: a resumed run re-derives exactly the seeds an uninterrupted run would use.
 */

/** 32-bit mix (the finalizer of MurmurHash3): a good avalanche for combining integers. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines integers and strings into one seed in [0, 2^31). */
export function deriveSeed(...parts: Array<number | string>): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    if (typeof part === 'number') {
      h = mix32(h ^ mix32(Math.floor(part) >>> 0) ^ Math.floor(part / 2 ** 32));
    } else {
      for (let i = 0; i < part.length; i++) h = mix32(h ^ part.charCodeAt(i));
      h = mix32(h ^ part.length);
    }
  }
  return h & 0x7fffffff;
}

/** A small, fast, seeded PRNG (mulberry32) for host-side draws: shuffles, k-means++ picks, toy data. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = deriveSeed(seed) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Fisher–Yates shuffle of [0, n). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** A seed for a call that was given none: fresh randomness, as the SampleOptions contract allows. */
export function seedOrRandom(seed: number | undefined): number {
  return seed ?? Math.floor(Math.random() * 2 ** 31);
}
