/**
 * Interpolation between two examples through the latent space: encode both to their posterior means
 * z_a, z_b, decode the path z(t) for t = 0, 1/(steps−1), …, 1 (linear or spherical; see
 * interpolation-paths.ts for why spherical suits a Gaussian prior), and show it as a row framed by the
 * two inputs. Batches of pairs give one row per pair.
 */

import { ConfigError, ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  checkLatentCondition,
  decodeCodes,
  type ExplorableModel,
  encodePosterior,
  exampleCount,
  integerOption,
  row,
  rowsOf,
} from './codes.js';
import { lerp, slerp } from './interpolation-paths.js';
import type { LatentPicture } from './picture.js';

export type InterpolationMethod = 'linear' | 'spherical';

export interface InterpolationOptions {
  /** Decoded points per row, endpoints included (default 10, at least 2). */
  steps?: number;
  /** `linear` (default) or `spherical` (slerp). */
  method?: InterpolationMethod;
  /** Frame each row with the input examples x_a (left) and x_b (right) (default true). */
  withInputs?: boolean;
  /** One-hot classes for conditional models: [1, numClasses], or [n, numClasses] one per pair. */
  condition?: tf.Tensor2D;
}

export interface LatentInterpolation extends LatentPicture {
  /** The interpolation parameter of each decoded column. */
  readonly t: number[];
  readonly method: InterpolationMethod;
}

const WHAT = 'interpolate';

/** Interpolates from xa to xb: both [...eventShape] (one pair) or [n, ...eventShape] (n pairs). */
export function interpolate(
  model: ExplorableModel,
  xa: tf.Tensor,
  xb: tf.Tensor,
  options: InterpolationOptions = {},
): LatentInterpolation {
  const n = exampleCount(model, xa, `${WHAT}: xa`);
  const nb = exampleCount(model, xb, `${WHAT}: xb`);
  if (nb !== n) throw new ShapeError(`${WHAT}: xa has ${n} example(s), xb has ${nb}; they are paired`);
  const steps = integerOption(`${WHAT}: steps`, options.steps ?? 10, 2);
  const method = options.method ?? 'linear';
  if (method !== 'linear' && method !== 'spherical') {
    throw new ConfigError(`${WHAT}: method must be "linear" or "spherical", got "${method}"`);
  }
  checkLatentCondition(model, options.condition, n, WHAT);

  const d = model.latentDim;
  const za = encodePosterior(model, xa, n, options.condition).mean;
  const zb = encodePosterior(model, xb, n, options.condition).mean;
  const path = method === 'spherical' ? slerp : lerp;
  const t = Array.from({ length: steps }, (_, k) => k / (steps - 1));
  const codes = new Float64Array(n * steps * d);
  const owners: number[] = [];
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < steps; k++) {
      codes.set(path(row(za, p, d), row(zb, p, d), t[k]), (p * steps + k) * d);
      owners.push(p);
    }
  }
  const decoded = decodeCodes(model, codes, owners, options.condition);
  if (options.withInputs === false) return { images: decoded, rows: n, columns: steps, t, method };
  try {
    const images = rowsOf(model, n, [xa, decoded, xb]);
    return { images, rows: n, columns: steps + 2, t, method };
  } finally {
    decoded.dispose();
  }
}
