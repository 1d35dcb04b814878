/**
 * Uniform dequantization of L-level data (Theis, van den Oord & Bethge, "A note on the evaluation of
 * generative models", 2016): with x = k/(L−1) for an integer level k,
 *
 *   y = (k + u) / L,   u ~ U[0, 1),
 *
 * so y ∈ [0, 1) and a continuous density p(y) on it lower-bounds the discrete model: log P(k) ≥ E_u[log p(y)]
 * − D·log L. That is what makes bits/dim of flows on 8-bit images meaningful. The noise is drawn per batch
 * from the batch seed.
 */

import { DataError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from './transform.js';

/**
 * In float32, k + u rounds up to k + 1 when u is within half an ulp (2^-17 for k ≥ 128) of 1, which would
 * put y on the next level's edge, or on 1 at the top (where a logit is ∞). Capping u at 1 − 2^-16 keeps
 * k + u exact, so y ∈ [k/L, (k+1)/L) holds in float32 too; the cap moves probability 2^-16 of the
 * uniform onto one point.
 */
const U_MAX = 1 - 2 ** -16;

export function uniformDequantization(levels = 256): Transform {
  // Up to 8 bits: beyond 256 levels the cap on u below no longer keeps y < 1 in float32.
  if (!Number.isInteger(levels) || levels < 2 || levels > 256) {
    throw new RangeError(`uniformDequantization: levels must be an integer in [2, 256], got ${levels}`);
  }
  const description = `dequantize(uniform, levels=${levels})`;
  return {
    description,
    bind(input) {
      const ok =
        input.kind === 'continuous' &&
        input.range[0] === 0 &&
        input.range[1] === 1 &&
        input.levels === levels &&
        !input.dequantized;
      if (!ok) {
        throw new DataError(
          `${description}: needs ${levels}-level data in [0, 1] that is not dequantized yet, got ${JSON.stringify(input)}`,
        );
      }
      return {
        description,
        values: { kind: 'continuous', range: [0, 1], levels, dequantized: true },
        perBatch(x, seed) {
          // Rounding recovers the exact integer level from the float32 intensity k/(L−1).
          const k = tf.round(tf.mul(x, levels - 1));
          const u = tf.minimum(tf.randomUniform(x.shape, 0, 1, 'float32', seed), U_MAX);
          return tf.div(tf.add(k, u), levels);
        },
      };
    },
  };
}
