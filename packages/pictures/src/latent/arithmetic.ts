/**
 * Latent arithmetic (the "vector arithmetic" of Mikolov et al. 2013 applied to latent codes, as in
 * Radford et al. 2016 and White 2016): with posterior means z_a, z_b, z_c, decode
 *
 *   x̂ = E[x | z = z_a − z_b + z_c],
 *
 * "a is to b as ? is to c": the attribute that separates a from b, added to c. Each row shows x_a, x_b, x_c
 * and the decoded result; batches of triples give one row per triple.
 */

import { ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  checkLatentCondition,
  decodeCodes,
  type ExplorableModel,
  encodePosterior,
  exampleCount,
  range,
  rowsOf,
} from './codes.js';
import type { LatentPicture } from './picture.js';

export interface LatentArithmeticOptions {
  /** Show x_a, x_b, x_c before the result in each row (default true). */
  withInputs?: boolean;
  /** One-hot classes for conditional models: [1, numClasses], or [n, numClasses] one per triple. */
  condition?: tf.Tensor2D;
}

const WHAT = 'latentArithmetic';

/** decode(z_a − z_b + z_c) for a, b, c all [...eventShape] (one triple) or all [n, ...eventShape]. */
export function latentArithmetic(
  model: ExplorableModel,
  a: tf.Tensor,
  b: tf.Tensor,
  c: tf.Tensor,
  options: LatentArithmeticOptions = {},
): LatentPicture {
  const n = exampleCount(model, a, `${WHAT}: a`);
  for (const [name, x] of [
    ['b', b],
    ['c', c],
  ] as const) {
    const m = exampleCount(model, x, `${WHAT}: ${name}`);
    if (m !== n) throw new ShapeError(`${WHAT}: a has ${n} example(s), ${name} has ${m}; they form triples`);
  }
  checkLatentCondition(model, options.condition, n, WHAT);

  const za = encodePosterior(model, a, n, options.condition).mean;
  const zb = encodePosterior(model, b, n, options.condition).mean;
  const zc = encodePosterior(model, c, n, options.condition).mean;
  const codes = za.map((v, i) => v - zb[i] + zc[i]);
  const result = decodeCodes(model, codes, range(n), options.condition);
  if (options.withInputs === false) return { images: result, rows: n, columns: 1 };
  try {
    return { images: rowsOf(model, n, [a, b, c, result]), rows: n, columns: 4 };
  } finally {
    result.dispose();
  }
}
