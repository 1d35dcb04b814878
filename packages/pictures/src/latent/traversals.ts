/**
 * Latent traversals (Higgins et al., "β-VAE: Learning Basic Visual Concepts with a Constrained
 * Variational Framework", ICLR 2017, Fig. 1–7): encode one example to its posterior mean μ, then for each
 * chosen dimension i decode μ with z_i replaced by `steps` values linearly spaced over `range` (default
 * [−3, 3], three prior standard deviations), the other dimensions fixed at μ. One row per dimension, one
 * column per value; a disentangled dimension changes one factor of variation along its row.
 *
 * With `order: 'kl'` the rows are sorted by each dimension's average KL(q(z_i|x) ‖ N(0, 1)) over
 * `reference` examples, most informative first, so collapsed dimensions (flat rows) come last.
 */

import { ConfigError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  checkDims,
  checkLatentCondition,
  decodeCodes,
  type ExplorableModel,
  encodePosterior,
  exampleCount,
  integerOption,
  range,
} from './codes.js';
import { posteriorKlPerDimension } from './dimension-kl.js';
import type { LatentPicture } from './picture.js';

export interface LatentTraversalOptions {
  /** Dimensions to traverse, one row each (default all, 0…latentDim−1). */
  dims?: readonly number[];
  /** Values per row (default 11, at least 2; an odd count includes the prior mean 0 for a symmetric range). */
  steps?: number;
  /** Values z_i spans (default [−3, 3]). */
  range?: readonly [number, number];
  /** Row order: as given (`index`, default) or by decreasing average KL (`kl`). */
  order?: 'index' | 'kl';
  /** Examples [n, ...eventShape] whose average KL ranks the dimensions (default the traversed example). */
  reference?: tf.Tensor;
  /** One-hot class [1, numClasses] for conditional models (used for the example and the reference). */
  condition?: tf.Tensor2D;
}

export interface LatentTraversals extends LatentPicture {
  /** The dimension of each row, top to bottom. */
  readonly dims: number[];
  /** The values along each row, left to right. */
  readonly values: number[];
  /** Average KL(q(z_i|x) ‖ N(0, 1)) in nats over the reference examples, for every dimension i. */
  readonly kl: number[];
}

const WHAT = 'latentTraversals';

/** Traverses the latent dimensions around one example x ([...eventShape] or [1, ...eventShape]). */
export function latentTraversals(
  model: ExplorableModel,
  x: tf.Tensor,
  options: LatentTraversalOptions = {},
): LatentTraversals {
  const d = model.latentDim;
  if (exampleCount(model, x, `${WHAT}: x`) !== 1) {
    throw new ConfigError(`${WHAT}: traverses around one example, got ${x.shape[0]} (shape [${x.shape}])`);
  }
  const steps = integerOption(`${WHAT}: steps`, options.steps ?? 11, 2);
  const [lo, hi] = options.range ?? [-3, 3];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new ConfigError(`${WHAT}: range [${lo}, ${hi}] must be finite and increasing`);
  }
  const requested = checkDims(`${WHAT}: dims`, options.dims ?? range(d), d);
  if (requested.length === 0) throw new ConfigError(`${WHAT}: dims is empty`);
  const order = options.order ?? 'index';
  if (order !== 'index' && order !== 'kl')
    throw new ConfigError(`${WHAT}: order must be "index" or "kl", got "${order}"`);
  checkLatentCondition(model, options.condition, 1, WHAT);

  const posterior = encodePosterior(model, x, 1, options.condition);
  const kl = options.reference
    ? referenceKl(model, options.reference, options.condition)
    : posteriorKlPerDimension(posterior, d);
  // A stable sort keeps the given order among equally informative dimensions.
  const dims = order === 'kl' ? [...requested].sort((a, b) => kl[b] - kl[a]) : requested;

  const values = Array.from({ length: steps }, (_, k) => lo + ((hi - lo) * k) / (steps - 1));
  const codes = new Float64Array(dims.length * steps * d);
  dims.forEach((dim, r) => {
    for (let c = 0; c < steps; c++) {
      const cell = (r * steps + c) * d;
      codes.set(posterior.mean, cell);
      codes[cell + dim] = values[c];
    }
  });
  const owners = new Array<number>(dims.length * steps).fill(0);
  const images = decodeCodes(model, codes, owners, options.condition);
  return { images, rows: dims.length, columns: steps, dims, values, kl };
}

function referenceKl(model: ExplorableModel, reference: tf.Tensor, condition?: tf.Tensor2D): number[] {
  const n = exampleCount(model, reference, `${WHAT}: reference`);
  // One condition row is broadcast to every reference example.
  return posteriorKlPerDimension(encodePosterior(model, reference, n, condition), model.latentDim);
}
