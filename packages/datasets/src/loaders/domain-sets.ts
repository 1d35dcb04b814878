/**
 * An unpaired multi-domain image set for multi-domain translation (StarGAN: Choi et al. 2018, "StarGAN:
 * Unified Generative Adversarial Networks for Multi-Domain Image-to-Image Translation"), built from
 * mnist-10k: K domains, each the digits under one fixed transform of domain-pairs.ts — as they are,
 * rotated by 90°, inverted, thickened, thinned — and the domain as each image's label.
 *
 * Every digit of a split is shown in exactly one domain: a random permutation σ of the split's digits,
 * drawn from `domainSeed`, puts digit σ(k) in domain k mod K, so the domains are balanced (their sizes
 * differ by at most one) and no digit appears under two transforms — a model never sees the same digit in
 * two domains, the unpaired setting StarGAN is for. The assignment is made within a split after its limit
 * (train digits among themselves, test digits among themselves), as domain-pairs.ts pairs them.
 */
import { deriveSeed, Random } from '@genzoo/core';
import {
  type DomainTransform,
  firstDigits,
  INVERT,
  ROTATE_90,
  THICKEN,
  THIN,
  UPRIGHT,
} from './domain-pairs.js';
import type { LabelledBytes } from './idx-files.js';
import { readMnist10k } from './mnist-package.js';

const PIXELS = 28 * 28;

/** One domain of the set: its name (metric and picture labels) and its transform. */
export interface ImageDomain {
  readonly name: string;
  readonly transform: DomainTransform;
}

/** mnist-10k-domains' domains, in label order. */
export const DIGIT_DOMAINS: readonly ImageDomain[] = [
  { name: 'upright', transform: UPRIGHT },
  { name: 'rotated', transform: ROTATE_90 },
  { name: 'inverted', transform: INVERT },
  { name: 'thick', transform: THICKEN },
  { name: 'thin', transform: THIN },
];

/** Digit i's domain: k for σ(k) = i, reduced mod K. */
export function domainAssignment(count: number, domains: number, seed: number): Uint8Array {
  const order = new Random(seed).permutation(count);
  const domain = new Uint8Array(count);
  for (let k = 0; k < count; k++) domain[order[k]] = k % domains;
  return domain;
}

/** Each digit under its own domain's transform, labelled with the domain. */
function assignDomains(digits: LabelledBytes, domains: readonly ImageDomain[], seed: number): LabelledBytes {
  const { count } = digits;
  const domain = domainAssignment(count, domains.length, seed);
  const pixels = new Uint8Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    domains[domain[i]].transform.apply(
      digits.pixels.subarray(i * PIXELS, (i + 1) * PIXELS),
      pixels.subarray(i * PIXELS, (i + 1) * PIXELS),
    );
  }
  return { count, pixels, labels: domain };
}

/** mnist-10k's train and test digits spread over the domains, each split with its own seed. */
export function readMnist10kDomains(
  name: string,
  domains: readonly ImageDomain[],
  options: { domainSeed: number; trainLimit?: number; testLimit?: number },
): { train: LabelledBytes; test: LabelledBytes } {
  const digits = readMnist10k();
  const assign = (split: 'train' | 'test', limit: number | undefined) =>
    assignDomains(firstDigits(digits[split], limit), domains, deriveSeed(options.domainSeed, name, split));
  return { train: assign('train', options.trainLimit), test: assign('test', options.testLimit) };
}
