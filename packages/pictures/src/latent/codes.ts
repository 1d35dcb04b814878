/**
 * The steps every latent picture shares: check the request, encode examples to their posterior means on
 * the host, build the latent codes there (a picture needs a few hundred codes at most, so float64 host
 * arithmetic is cheap and exact enough for slerp's angles), and decode them in one batch.
 */

import {
  assertShape,
  ConfigError,
  type GenerativeModel,
  isConditionalModel,
  type LatentModel,
  type LikelihoodOptions,
  ShapeError,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

/** A generative model with an encoder q(z|x) and a decoder E[x|z]: what the latent pictures need. */
export type ExplorableModel = GenerativeModel & LatentModel;

/** q(z|x) = N(mean, diag stddev²) of n examples, row-major [n, latentDim], in float64. */
export interface HostPosterior {
  n: number;
  mean: Float64Array;
  stddev: Float64Array;
}

/** An integer option ≥ min, or a ConfigError naming it. */
export function integerOption(what: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${what} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

/** Latent dimension indices: integers in [0, latentDim), no repeats. */
export function checkDims(what: string, dims: readonly number[], latentDim: number): number[] {
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d >= latentDim) {
      throw new ConfigError(
        `${what}: latent dimension ${d} does not exist (the model has latentDim ${latentDim}, so 0…${latentDim - 1})`,
      );
    }
  }
  if (new Set(dims).size !== dims.length) throw new ConfigError(`${what}: dimensions repeat in [${dims}]`);
  return [...dims];
}

/** Number of examples in x: [n, ...eventShape], or one example [...eventShape]. */
export function exampleCount(model: ExplorableModel, x: tf.Tensor, what: string): number {
  if (x.rank === model.eventShape.length) {
    assertShape(what, x.shape, model.eventShape);
    return 1;
  }
  assertShape(what, x.shape, [-1, ...model.eventShape]);
  if (x.shape[0] < 1) throw new ShapeError(`${what}: no examples`);
  return x.shape[0];
}

/** x as a batch [n, ...eventShape] (call inside a tidy: a single example is reshaped). */
function asBatch(model: ExplorableModel, x: tf.Tensor): tf.Tensor {
  return x.rank === model.eventShape.length ? tf.expandDims(x, 0) : x;
}

/**
 * Checks a class condition against the model and the n inputs it goes with: conditional models need one,
 * one-hot [1, numClasses] for every input or [n, numClasses] one per input; other models take none.
 */
export function checkLatentCondition(
  model: ExplorableModel,
  condition: tf.Tensor2D | undefined,
  n: number,
  what: string,
): void {
  if (!isConditionalModel(model)) {
    if (condition) {
      throw new ConfigError(`${what}: model "${model.name}" is not class-conditional; pass no condition`);
    }
    return;
  }
  const k = model.numClasses;
  if (!condition) {
    throw new ConfigError(
      `${what}: model "${model.name}" is conditional on ${k} classes; pass a one-hot condition [1, ${k}]` +
        (n > 1 ? ` or [${n}, ${k}]` : ''),
    );
  }
  if (
    condition.rank !== 2 ||
    condition.shape[1] !== k ||
    (condition.shape[0] !== 1 && condition.shape[0] !== n)
  ) {
    throw new ShapeError(
      `${what}: condition must be one-hot [1, ${k}]${n > 1 ? ` or [${n}, ${k}]` : ''}, got shape [${condition.shape}]`,
    );
  }
}

/** Likelihood options for a batch whose row i belongs to input owners[i] (call inside a tidy). */
function conditionOptions(
  condition: tf.Tensor2D | undefined,
  owners: readonly number[],
): LikelihoodOptions | undefined {
  if (!condition) return undefined;
  const rows = condition.shape[0] === 1 ? owners.map(() => 0) : owners;
  return { condition: tf.gather(condition, tf.tensor1d(Int32Array.from(rows), 'int32')) as tf.Tensor2D };
}

/** 0, 1, …, n − 1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Encodes n examples (checked by exampleCount and checkLatentCondition) and copies q(z|x) to the host. */
export function encodePosterior(
  model: ExplorableModel,
  x: tf.Tensor,
  n: number,
  condition?: tf.Tensor2D,
): HostPosterior {
  const [mean, stddev] = tf.tidy(() => {
    const posterior = model.encode(asBatch(model, x), conditionOptions(condition, range(n)));
    return [posterior.mean, posterior.stddev];
  });
  try {
    assertShape(`${model.name}.encode mean`, mean.shape, [n, model.latentDim]);
    assertShape(`${model.name}.encode stddev`, stddev.shape, [n, model.latentDim]);
    return { n, mean: Float64Array.from(mean.dataSync()), stddev: Float64Array.from(stddev.dataSync()) };
  } finally {
    mean.dispose();
    stddev.dispose();
  }
}

/** Row i of a row-major [rows, dim] array. */
export function row(values: Float64Array, i: number, dim: number): Float64Array {
  return values.subarray(i * dim, (i + 1) * dim);
}

/**
 * Decodes codes [rows, latentDim] (row-major) to E[x|z], [rows, ...eventShape]; row i is decoded with the
 * condition of input owners[i].
 */
export function decodeCodes(
  model: ExplorableModel,
  codes: Float64Array,
  owners: readonly number[],
  condition?: tf.Tensor2D,
): tf.Tensor {
  const rows = owners.length;
  return tf.tidy(() => {
    const z = tf.tensor2d(Float32Array.from(codes), [rows, model.latentDim]);
    const decoded = model.decode(z, conditionOptions(condition, owners));
    assertShape(`${model.name}.decode`, decoded.shape, [rows, ...model.eventShape]);
    return decoded;
  });
}

/**
 * Lays out n rows of a picture: per row, the given columns side by side, each column [n, ...eventShape] or
 * [n·k, ...eventShape] (k consecutive tiles of a row). Returns [n·columns, ...eventShape] in reading order.
 */
export function rowsOf(model: ExplorableModel, n: number, columns: readonly tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const shape = model.eventShape;
    const blocks = columns.map((c) => {
      const batch = asBatch(model, c);
      return tf.reshape(batch, [n, batch.shape[0] / n, ...shape]);
    });
    const joined = blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1);
    return tf.reshape(joined, [n * joined.shape[1]!, ...shape]);
  });
}
