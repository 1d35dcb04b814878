/**
 * Unpaired two-domain image sets for image-to-image translation (CycleGAN: Zhu, Park, Isola & Efros 2017,
 * "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks"), built from mnist-10k:
 * domain A is the digits, domain B the digits under a fixed transform T (inverted, 255 − k; rotated by 90°).
 *
 * One example is a pair [2, 28, 28, 1]: [0] a digit a_i of domain A, [1] the image T(a_π(i)) of domain B.
 * π is one random cycle through the split's digits, drawn from `pairSeed`, so π(i) ≠ i: no example holds a
 * digit together with its own translation, and a model sees only the two marginal distributions — the
 * unpaired setting CycleGAN is for. Pairs are formed within a split (train pairs from train digits, test
 * pairs from test digits) after its limit, so a limited split pairs its own digits among themselves.
 */
import { deriveSeed, Random } from '@genzoo/core';
import type { LabelledBytes } from './idx-files.js';
import { readMnist10k } from './mnist-package.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Domain B's transform of one 28 × 28 grey image (row-major bytes), written into `out`. */
export interface DomainTransform {
  readonly description: string;
  apply(image: Uint8Array, out: Uint8Array): void;
}

/** Negative images: every level k becomes 255 − k. */
export const INVERT: DomainTransform = {
  description: 'inverted (255 − k)',
  apply(image, out) {
    for (let i = 0; i < PIXELS; i++) out[i] = 255 - image[i];
  },
};

/** Rotation by 90° counter-clockwise (numpy's rot90): out[r][c] = image[c][27 − r]. */
export const ROTATE_90: DomainTransform = {
  description: 'rotated by 90°',
  apply(image, out) {
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) out[r * SIDE + c] = image[c * SIDE + (SIDE - 1 - r)];
    }
  },
};

/** The 3 × 3 neighbourhood's extreme level of every pixel (pixels outside the image do not count). */
function neighbourhood(
  image: Uint8Array,
  out: Uint8Array,
  pick: (a: number, b: number) => number,
  cross: boolean,
) {
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      let level = image[r * SIDE + c];
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const [y, x] = [r + dr, c + dc];
          if ((cross && dr !== 0 && dc !== 0) || y < 0 || y >= SIDE || x < 0 || x >= SIDE) continue;
          level = pick(level, image[y * SIDE + x]);
        }
      }
      out[r * SIDE + c] = level;
    }
  }
}

/** The digit as it is. */
export const UPRIGHT: DomainTransform = {
  description: 'as they are',
  apply(image, out) {
    out.set(image.subarray(0, PIXELS));
  },
};

/** Thicker strokes: grey-level dilation, every pixel the brightest of its 3 × 3 neighbourhood. */
export const THICKEN: DomainTransform = {
  description: 'thickened (3 × 3 dilation)',
  apply: (image, out) => neighbourhood(image, out, Math.max, false),
};

/**
 * Thinner strokes: grey-level erosion, every pixel the darkest of itself and its four edge neighbours (a
 * cross: the full 3 × 3 square erases many of mnist's two-pixel strokes).
 */
export const THIN: DomainTransform = {
  description: 'thinned (cross-shaped erosion)',
  apply: (image, out) => neighbourhood(image, out, Math.min, true),
};

/**
 * π as partner[i]: a uniformly random cyclic order σ of the n digits, each followed by the next,
 * π(σ(k)) = σ(k + 1 mod n). Every digit is some pair's B side exactly once and (for n > 1) never its own.
 */
function partners(n: number, seed: number): Int32Array {
  const order = new Random(seed).permutation(n);
  const partner = new Int32Array(n);
  for (let k = 0; k < n; k++) partner[order[k]] = order[(k + 1) % n];
  return partner;
}

/** Pairs (a_i, T(a_π(i))) of the digits, labelled with a_i's digit. */
function unpairedDomains(digits: LabelledBytes, transform: DomainTransform, seed: number): LabelledBytes {
  const { count } = digits;
  const partner = partners(count, seed);
  const pixels = new Uint8Array(count * 2 * PIXELS);
  const digit = (i: number) => digits.pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
  for (let i = 0; i < count; i++) {
    pixels.set(digit(i), 2 * i * PIXELS);
    transform.apply(digit(partner[i]), pixels.subarray((2 * i + 1) * PIXELS, (2 * i + 2) * PIXELS));
  }
  return { count, pixels, labels: digits.labels };
}

/** The first `limit` digits (all when undefined). */
export function firstDigits(digits: LabelledBytes, limit: number | undefined): LabelledBytes {
  const count = Math.min(limit ?? digits.count, digits.count);
  return {
    count,
    pixels: digits.pixels.subarray(0, count * PIXELS),
    labels: digits.labels.subarray(0, count),
  };
}

/** mnist-10k's train and test digits as unpaired domain pairs, each split paired with its own seed. */
export function readMnist10kPairs(
  name: string,
  transform: DomainTransform,
  options: { pairSeed: number; trainLimit?: number; testLimit?: number },
): { train: LabelledBytes; test: LabelledBytes } {
  const digits = readMnist10k();
  const pair = (split: 'train' | 'test', limit: number | undefined) =>
    unpairedDomains(firstDigits(digits[split], limit), transform, deriveSeed(options.pairSeed, name, split));
  return { train: pair('train', options.trainLimit), test: pair('test', options.testLimit) };
}
