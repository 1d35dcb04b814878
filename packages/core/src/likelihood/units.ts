/**
 * Likelihood units: nats, bits per dimension, and the discretization offset for dequantized 8-bit data.
 *
 * bits/dim = NLL_nats / (D · ln 2), D the number of dimensions of one example (784 for MNIST).
 *
 * A density p on continuous data assigns probability, not density, to the original discrete values
 * only through a bin volume. 8-bit data dequantized with uniform noise, y = (x + u)/256 with
 * u ~ U[0, 1)^D, lives in [0, 1]^D, and each byte vector x owns a bin of volume 256^−D. By Jensen's
 * inequality (Theis et al. 2016, §3.1; the convention of RealNVP and Glow):
 *
 *   log P(x) ≥ E_u[log p(y)] − D · log 256
 *
 * so the discrete negative log-likelihood reported is −log p(y) + D·log 256 nats, i.e. 8 bits/dim are
 * added to the continuous density's −log p(y)/(D ln 2). For a general range [lo, hi] with L levels the
 * bin width is (hi − lo)/L and the offset is D · log(L / (hi − lo)). Without dequantization (binary
 * data, or continuous data that is not a dequantized quantization) no offset applies.
 */
import type { DataValues } from '../contracts/data.js';
import { ShapeError } from '../errors.js';

export interface LikelihoodMetrics {
  /** Mean negative log-likelihood per example, in nats (of the discrete data when dequantized). */
  nll_nats: number;
  /** nll_nats / (D · ln 2). */
  bits_per_dim: number;
}

/** Number of dimensions D of one example of the given shape. */
export function eventSize(eventShape: readonly number[]): number {
  return eventShape.reduce((a, b) => a * b, 1);
}

export function natsToBitsPerDim(nats: number, dims: number): number {
  return nats / (dims * Math.LN2);
}

export function bitsPerDimToNats(bitsPerDim: number, dims: number): number {
  return bitsPerDim * dims * Math.LN2;
}

/**
 * The nats to add to a continuous −log p(y) to get the discrete NLL of the quantized data: D·log(L/(hi −
 * lo)) for dequantized data with L levels (256 when `levels` is not given), 0 otherwise.
 */
export function dequantizationOffset(values: DataValues, dims: number): number {
  if (values.kind !== 'continuous' || !values.dequantized) return 0;
  const [lo, hi] = values.range;
  const levels = values.levels ?? 256;
  return dims * Math.log(levels / (hi - lo));
}

/**
 * Mean NLL and bits/dim from per-example log-likelihoods log p(x) in nats (a density on the data as
 * given), with the dequantization offset applied when `values` says the data is dequantized.
 */
export function likelihoodMetrics(
  logProbs: ArrayLike<number>,
  eventShape: readonly number[],
  values: DataValues,
): LikelihoodMetrics {
  if (logProbs.length === 0) throw new ShapeError('likelihoodMetrics: no log-likelihoods given');
  const dims = eventSize(eventShape);
  let sum = 0;
  for (let i = 0; i < logProbs.length; i++) sum += logProbs[i];
  const nll = -sum / logProbs.length + dequantizationOffset(values, dims);
  return { nll_nats: nll, bits_per_dim: natsToBitsPerDim(nll, dims) };
}
