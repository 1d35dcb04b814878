/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for
 * Assessing Generative Models"). Each set's manifold is estimated as the union of balls around its
 * features, the ball of φ having as radius the distance from φ to its k-th nearest other feature of the
 * same set. Then
 *
 *   precision = fraction of fake features inside at least one real ball  (how many samples look real)
 *   recall    = fraction of real features inside at least one fake ball  (how much of the data is covered)
 *
 * Squared distances ‖a − b‖² = ‖a‖² + ‖b‖² − 2aᵀb come from one matMul of augmented rows,
 * [a, ‖a‖², 1]·[−2b, 1, ‖b‖²], 512 query rows at a time, so memory grows as N rather than N². The
 * expansion cancels when the features' norms are large compared with their spacing (ReLU features share
 * a large positive mean), so both sets are first centred on their joint mean, which changes no distance.
 * The k-th nearest other feature is the (k+1)-th smallest distance from a feature to its own set, itself
 * at distance 0 being the first (a duplicate then counts as a neighbour at distance 0, as it should):
 * tf.topk of the negated distances, clamped at 0 against round-off. A point lies in some ball of radius
 * r_b around b iff min_b (‖a − b‖² − r_b²) ≤ 0; centre rows [−2b, 1, ‖b‖² − r_b²] give those margins from
 * the same single matMul, with no broadcast [rows, N] comparison (about five times slower on wasm).
 *
 * The paper uses VGG-16 features; genzoo's come from its per-dataset classifier.
 */

import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkRealAndFake, type FeatureSet, forEachRowChunk } from './features.js';

export interface PrecisionRecallOptions {
  /** Neighbour whose distance sets a ball's radius (default 3, the paper's choice). */
  k?: number;
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
}

export function precisionRecall(
  real: FeatureSet,
  fake: FeatureSet,
  options: PrecisionRecallOptions = {},
): PrecisionRecall {
  checkRealAndFake('precisionRecall', real, fake);
  const { k = 3 } = options;
  if (!Number.isInteger(k) || k < 1) {
    throw new ConfigError(`precisionRecall: k must be a positive integer, got ${k}`);
  }
  if (k >= Math.min(real.count, fake.count)) {
    throw new ConfigError(
      `precisionRecall: k = ${k} needs more than k features in each set, got ${real.count} real and ${fake.count} fake`,
    );
  }
  const centre = jointMean(real, fake);
  const [fakeInsideReal, realInsideFake] = tf.tidy((): [number, number] => {
    const realSet = onDevice(real, centre);
    const fakeSet = onDevice(fake, centre);
    return [
      countInsideBalls(fakeSet, realSet, kthNeighbourSquaredRadii(realSet, k)),
      countInsideBalls(realSet, fakeSet, kthNeighbourSquaredRadii(fakeSet, k)),
    ];
  });
  return { precision: fakeInsideReal / fake.count, recall: realInsideFake / real.count };
}

/** A set's centred features on the device, with their squared norms as a [count, 1] column. */
interface DeviceSet {
  points: tf.Tensor2D;
  squaredNorms: tf.Tensor2D;
}

function onDevice(f: FeatureSet, centre: Float64Array): DeviceSet {
  const points = tf.tensor2d(
    f.values.map((v, i) => v - centre[i % f.dim]),
    [f.count, f.dim],
  );
  return { points, squaredNorms: tf.sum(tf.square(points), 1, true) as tf.Tensor2D };
}

/** Rows [a, ‖a‖², 1]: the query side of the augmented product. */
function queryRows(set: DeviceSet): tf.Tensor2D {
  return tf.concat2d([set.points, set.squaredNorms, tf.onesLike(set.squaredNorms)], 1);
}

/** Rows [−2b, 1, ‖b‖² − offset_b]: times query rows, ‖a − b‖² − offset_b. */
function centreRows(set: DeviceSet, offset?: tf.Tensor2D): tf.Tensor2D {
  const last = offset ? (tf.sub(set.squaredNorms, offset) as tf.Tensor2D) : set.squaredNorms;
  return tf.concat2d([tf.mul(set.points, -2) as tf.Tensor2D, tf.onesLike(set.squaredNorms), last], 1);
}

/** [count, 1]: each point's squared distance to its k-th nearest other point of the same set. */
function kthNeighbourSquaredRadii(set: DeviceSet, k: number): tf.Tensor2D {
  const centres = centreRows(set);
  const chunks: tf.Tensor2D[] = [];
  forEachRowChunk(queryRows(set), (rows) => {
    chunks.push(
      tf.tidy(() => {
        const squaredDistances = tf.relu(tf.matMul(rows, centres, false, true));
        const nearest = tf.topk(tf.neg(squaredDistances), k + 1).values;
        return tf.neg(tf.slice(nearest, [0, k], [-1, 1])) as tf.Tensor2D;
      }),
    );
  });
  const radii = tf.concat2d(chunks, 0);
  tf.dispose(chunks);
  return radii;
}

/** How many of `points` lie inside at least one ball around `centres` (squared radii [count, 1]). */
function countInsideBalls(points: DeviceSet, centres: DeviceSet, squaredRadii: tf.Tensor2D): number {
  const shiftedCentres = centreRows(centres, squaredRadii);
  let inside = 0;
  forEachRowChunk(queryRows(points), (rows) => {
    // Unclamped: a slightly negative ‖a − b‖² from round-off is inside the ball either way.
    const margins = tf.tidy(() => tf.min(tf.matMul(rows, shiftedCentres, false, true), 1));
    for (const margin of margins.dataSync()) if (margin <= 0) inside++;
    margins.dispose();
  });
  return inside;
}

/** Mean of all features of both sets, float64. */
function jointMean(real: FeatureSet, fake: FeatureSet): Float64Array {
  const mean = new Float64Array(real.dim);
  for (const f of [real, fake]) {
    for (let i = 0; i < f.values.length; i++) mean[i % f.dim] += f.values[i];
  }
  return mean.map((sum) => sum / (real.count + fake.count));
}
