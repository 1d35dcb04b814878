/**
 * The reference classifier's settings as a zod schema with defaults, so a partial config, a cached
 * classifier's manifest and a `--classifier-epochs` override are validated alike, and the parsed config names
 * one classifier exactly (its cache entry is keyed by a hash of it).
 */

import { crc32 } from '@genzoo/core';
import { z } from 'zod';

export const classifierConfigSchema = z.strictObject({
  /**
   * Output channels of the 3 × 3 convolutions. The first keeps the image's resolution, every later one
   * halves it (stride 2: wasm has no MaxPool gradient, and strided convolutions cost less anyway).
   */
  channels: z.array(z.number().int().positive()).min(1).default([16, 32, 64]),
  /** Width of the penultimate dense layer: the features the sample-quality metrics compare. */
  featureDim: z.number().int().positive().default(128),
  epochs: z.number().int().positive().default(3),
  batchSize: z.number().int().positive().default(128),
  /** Adam's step size at the start; it decays to 0 on a cosine over the run. */
  learningRate: z.number().positive().default(2e-3),
  /** Seeds the initialization and the order of the training examples. */
  seed: z.number().int().nonnegative().default(0),
});
export type ClassifierConfig = z.output<typeof classifierConfigSchema>;
export type ClassifierConfigInput = z.input<typeof classifierConfigSchema>;

/**
 * A short hash (8 hex digits, CRC-32 of the canonical JSON) of a parsed config and the layout version:
 * different settings never share a cache entry, and the same settings always find theirs.
 */
export function classifierConfigHash(config: ClassifierConfig, version: number): string {
  const keys = Object.keys(config).sort() as Array<keyof ClassifierConfig>;
  const canonical = JSON.stringify({ version, ...Object.fromEntries(keys.map((k) => [k, config[k]])) });
  return crc32(new TextEncoder().encode(canonical)).toString(16).padStart(8, '0');
}
