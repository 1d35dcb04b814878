/**
 * Importance-sampled log-likelihood in bounded memory.
 *
 * The estimate (Burda et al. 2016, IWAE; Rezende et al. 2014, App. E) of log p(x) with K samples
 * z_k ~ q(z|x) and log-weights w_k = log p(x, z_k) − log q(z_k|x) is
 *
 *   log p̂(x) = log (1/K) Σ_k exp(w_k)
 *
 * With K = 5000 the [K, batch] weights of a whole batch may not fit in memory, so the weights are
 * requested in chunks and reduced by a streaming log-sum-exp: each chunk is reduced with its own max
 * subtracted (`logSumExp`), and the running result is merged with `logAddExp`, which is exact in real
 * arithmetic and never overflows in float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertShape, ConfigError } from '../errors.js';
import { logAddExp, logSumExp } from './logsumexp.js';

export interface StreamingLogMeanExpOptions {
  /** Total number of samples K. */
  samples: number;
  /** Samples per chunk (default min(K, 100)); peak memory is about chunkSize × batch weights. */
  chunkSize?: number;
}

/**
 * log (1/K) Σ_k exp(w_k) per example, where `logWeights(count, chunkIndex)` returns the [count, batch]
 * log-weights of the next `count` samples (use `chunkIndex` to derive the chunk's seed). The returned
 * chunk tensors are disposed here; the result, [batch], belongs to the caller.
 */
export function streamingLogMeanExp(
  logWeights: (count: number, chunkIndex: number) => tf.Tensor,
  options: StreamingLogMeanExpOptions,
): tf.Tensor1D {
  const { samples } = options;
  const chunkSize = options.chunkSize ?? Math.min(samples, 100);
  if (!Number.isInteger(samples) || samples < 1) {
    throw new ConfigError(`samples must be a positive integer, got ${samples}`);
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new ConfigError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  let running: tf.Tensor | undefined;
  let batch = -1;
  for (let start = 0, chunk = 0; start < samples; start += chunkSize, chunk++) {
    const count = Math.min(chunkSize, samples - start);
    const previous = running;
    try {
      running = tf.tidy(() => {
        const w = logWeights(count, chunk);
        assertShape(`log-weights of importance chunk ${chunk}`, w.shape, [count, batch]);
        batch = w.shape[1] as number;
        const chunkLogSum = logSumExp(w, 0);
        return previous ? logAddExp(previous, chunkLogSum) : chunkLogSum;
      });
    } finally {
      previous?.dispose();
    }
  }
  const logSum = running as tf.Tensor;
  const result = tf.tidy(() => tf.sub(logSum, Math.log(samples)) as tf.Tensor1D);
  logSum.dispose();
  return result;
}
