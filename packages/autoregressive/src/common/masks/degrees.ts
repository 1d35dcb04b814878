/**
 * MADE's connectivity (Germain, Gregor, Murray & Larochelle 2015, §4): every unit gets a degree, and a
 * weight may connect unit k' of layer l − 1 to unit k of layer l only if it cannot carry information
 * from inputs at or after the unit's own position in the order.
 *
 *   inputs:   m⁰(d) = the rank of dimension d in the ordering, 1 … D
 *   hidden:   mˡ(k) ∈ [min_k' mˡ⁻¹(k'), D − 1]  (uniformly at random, or spread evenly)
 *   masks:    Mˡ[k', k] = 1[mˡ(k) ≥ mˡ⁻¹(k')]     (hidden layers)
 *             Mᴼ[k', d] = 1[m⁰(d) > mᴸ(k')]       (output layer: strictly greater)
 *
 * so output d depends only on inputs with smaller rank, which is the autoregressive property. Context
 * inputs (a class label, or the conditioning input of a flow) have degree 0 and reach every hidden unit.
 */
import { Random } from '@genzoo/core';

export type Ordering = 'natural' | 'random';
export type HiddenDegrees = 'random' | 'even';

export interface MaskSet {
  /** Rank m⁰(d) ∈ 1 … D of each input dimension. */
  inputDegrees: Int32Array;
  /** Degrees of each hidden layer's units. */
  hiddenDegrees: Int32Array[];
  /** Row-major [fanIn × fanOut] 0/1 masks: one per hidden layer, then the output layer's [H_L × D]. */
  masks: Float32Array[];
}

/** The input ranks: 1 … D in order, or a seeded random permutation of them. */
export function inputDegrees(dims: number, ordering: Ordering, random: Random): Int32Array {
  const degrees = Int32Array.from({ length: dims }, (_, d) => d + 1);
  if (ordering === 'natural') return degrees;
  const perm = random.permutation(dims);
  return Int32Array.from(perm, (p) => p + 1);
}

/** Degrees of a hidden layer of `size` units above a layer with minimum degree `min`, for D inputs. */
export function layerDegrees(
  size: number,
  min: number,
  dims: number,
  kind: HiddenDegrees,
  random: Random,
): Int32Array {
  // With D = 1 no hidden unit may see anything; degree D − 1 = 0 < every input rank disconnects it.
  const lo = Math.min(min, dims - 1);
  const span = dims - 1 - lo + 1;
  if (kind === 'even') return Int32Array.from({ length: size }, (_, k) => lo + (k % span));
  return Int32Array.from({ length: size }, () => lo + random.int(span));
}

/** 1[to ≥ from] (hidden) or 1[to > from] (output) for every (from, to) pair, row-major [from × to]. */
export function connectivity(from: Int32Array, to: Int32Array, strict: boolean): Float32Array {
  const mask = new Float32Array(from.length * to.length);
  for (let i = 0; i < from.length; i++) {
    for (let j = 0; j < to.length; j++) {
      mask[i * to.length + j] = (strict ? to[j] > from[i] : to[j] >= from[i]) ? 1 : 0;
    }
  }
  return mask;
}

/** One MADE mask set for D inputs and the given hidden sizes. */
export function maskSet(
  dims: number,
  hidden: readonly number[],
  options: { ordering: Ordering; hiddenDegrees: HiddenDegrees; seed: number },
): MaskSet {
  const random = new Random(options.seed);
  const input = inputDegrees(dims, options.ordering, random);
  const hiddenDegrees: Int32Array[] = [];
  const masks: Float32Array[] = [];
  let previous = input;
  for (const size of hidden) {
    const min = previous.reduce((a, b) => Math.min(a, b), dims);
    const degrees = layerDegrees(size, min, dims, options.hiddenDegrees, random);
    masks.push(connectivity(previous, degrees, false));
    hiddenDegrees.push(degrees);
    previous = degrees;
  }
  masks.push(connectivity(previous, input, true));
  return { inputDegrees: input, hiddenDegrees, masks };
}

/** The positions in sampling order: dimension d is drawn at step m⁰(d) − 1. */
export function orderOf(inputDegrees: ArrayLike<number>): Int32Array {
  const order = new Int32Array(inputDegrees.length);
  for (let d = 0; d < inputDegrees.length; d++) order[inputDegrees[d] - 1] = d;
  return order;
}
