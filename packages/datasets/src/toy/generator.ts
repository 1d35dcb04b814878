/**
 * 2-D toy densities from the normalizing-flow literature, following the definitions in FFJORD's
 * `toy_data.py` (Grathwohl et al., 2019), which nflows and most flow papers reuse. They are small enough to
 * train in seconds, and their densities are easy to look at.
 */
import type { Random } from '@genzoo/core';

export interface ToySample {
  /** n × 2 coordinates. */
  points: Float32Array;
  /** The mixture component or arm each point came from, for the sets that have one. */
  labels?: Int32Array;
}

/** The components of a mixture set: their centres and their (isotropic) standard deviation. */
export interface ToyModes {
  centers: ReadonlyArray<readonly [number, number]>;
  stddev: number;
}

export interface ToyGenerator {
  name: string;
  description: string;
  numClasses?: number;
  /** For mixtures of isotropic Gaussians, the components at a noise level (for mode-coverage scores). */
  modes?(noise: number): ToyModes;
  /** Default noise level; what it scales is stated per set. */
  defaultNoise: number;
  /** The support of the data at this noise level; infinite once Gaussian noise is added. */
  range(noise: number): [number, number];
  /** n points drawn with `random`; the same generator state gives the same points. */
  generate(n: number, random: Random, noise: number): ToySample;
}

export const UNBOUNDED: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];

/** linspace(start, stop, count) with the endpoint, as numpy. */
export function linspace(start: number, stop: number, count: number, endpoint = true): Float64Array {
  const out = new Float64Array(count);
  const steps = endpoint ? count - 1 : count;
  for (let i = 0; i < count; i++) out[i] = steps > 0 ? start + ((stop - start) * i) / steps : start;
  return out;
}

/** Puts structured output (sorted by component) in random order, as sklearn's shuffle=True. */
export function shuffled(sample: ToySample, random: Random): ToySample {
  const n = sample.points.length / 2;
  const order = random.permutation(n);
  const points = new Float32Array(2 * n);
  const labels = sample.labels ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    points[2 * i] = sample.points[2 * order[i]];
    points[2 * i + 1] = sample.points[2 * order[i] + 1];
    if (labels && sample.labels) labels[i] = sample.labels[order[i]];
  }
  return labels ? { points, labels } : { points };
}
