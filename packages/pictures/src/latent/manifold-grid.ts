/**
 * The learned 2-D manifold (Kingma & Welling, "Auto-Encoding Variational Bayes", 2014, Fig. 4): a
 * size × size grid of linearly spaced points u on the unit square, mapped through the inverse Gaussian CDF
 * so that each cell covers equal prior probability mass, z_k = Φ⁻¹(u_k), then decoded.
 *
 * Two latent dimensions (i, j) vary; the others stay at a base code (the prior mean 0 by default). Column c
 * (left → right) has z_i = Φ⁻¹(u_c) increasing, row r (top → bottom) has z_j = Φ⁻¹(u_{size−1−r})
 * decreasing, like a plot's axes. With an odd size and a range symmetric about ½, the centre cell is z = 0
 * in (i, j).
 *
 * Without `dims`, given `reference` examples, the grid spans the two most informative dimensions: the
 * highest average KL(q(z_i|x) ‖ N(0, 1)) over them. A VAE often leaves some dimensions at the prior, and
 * a grid over two of those decodes one blurred image.
 */

import { ConfigError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  checkDims,
  checkLatentCondition,
  decodeCodes,
  type ExplorableModel,
  integerOption,
} from './codes.js';
import { latentDimensionKl } from './dimension-kl.js';
import { normalQuantile } from './normal-quantile.js';
import type { LatentPicture } from './picture.js';

export interface LatentManifoldGridOptions {
  /** Cells per side (default 15, at least 2). */
  size?: number;
  /**
   * The two latent dimensions that vary: [column axis, row axis] (default: the two highest-KL dimensions
   * over `reference`, else [0, 1]).
   */
  dims?: readonly [number, number];
  /** Examples [n, ...eventShape] whose average KL picks the dimensions when `dims` is not given. */
  reference?: tf.Tensor;
  /** Probabilities u spanned along each axis, inside (0, 1) (default [0.05, 0.95], as in the paper). */
  range?: readonly [number, number];
  /** The code of the dimensions that do not vary, length latentDim (default all zeros). */
  base?: ArrayLike<number>;
  /** One-hot class [1, numClasses] for conditional models. */
  condition?: tf.Tensor2D;
}

export interface LatentManifoldGrid extends LatentPicture {
  readonly dims: [number, number];
  /** The latent values along each axis in increasing order: z_k = Φ⁻¹(u_k), k = 0…size−1. */
  readonly values: number[];
  /** With `reference`: the average KL per latent dimension over it, in nats. */
  readonly kl?: number[];
}

const WHAT = 'latentManifoldGrid';

export function latentManifoldGrid(
  model: ExplorableModel,
  options: LatentManifoldGridOptions = {},
): LatentManifoldGrid {
  const d = model.latentDim;
  if (d < 2) {
    throw new ConfigError(
      `${WHAT}: a 2-D manifold grid needs at least 2 latent dimensions; model "${model.name}" has latentDim ${d} (use traversals instead)`,
    );
  }
  const size = integerOption(`${WHAT}: size`, options.size ?? 15, 2);
  checkLatentCondition(model, options.condition, 1, WHAT);
  const kl =
    options.reference && !options.dims
      ? latentDimensionKl(model, options.reference, { condition: options.condition })
      : undefined;
  // A stable sort keeps the lower index among equally informative dimensions.
  const dims = options.dims ?? (kl ? [...kl.keys()].sort((a, b) => kl[b] - kl[a]).slice(0, 2) : [0, 1]);
  if (dims.length !== 2) throw new ConfigError(`${WHAT}: dims must name exactly 2 dimensions, got [${dims}]`);
  const [i, j] = checkDims(`${WHAT}: dims`, dims, d);
  const [lo, hi] = options.range ?? [0.05, 0.95];
  if (!(lo > 0 && hi < 1 && lo < hi)) {
    throw new ConfigError(`${WHAT}: range [${lo}, ${hi}] must be increasing probabilities inside (0, 1)`);
  }
  const base = options.base ?? new Float64Array(d);
  if (base.length !== d) throw new ConfigError(`${WHAT}: base has length ${base.length}, latentDim is ${d}`);

  const values = Array.from({ length: size }, (_, k) => normalQuantile(lo + ((hi - lo) * k) / (size - 1)));
  const codes = new Float64Array(size * size * d);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const cell = (r * size + c) * d;
      codes.set(Array.from(base), cell);
      codes[cell + i] = values[c];
      codes[cell + j] = values[size - 1 - r];
    }
  }
  const owners = new Array<number>(size * size).fill(0);
  const images = decodeCodes(model, codes, owners, options.condition);
  return { images, rows: size, columns: size, dims: [i, j], values, ...(kl ? { kl } : {}) };
}
