/**
 * The generator's noise prior p(z): N(0, I) or U[−1, 1]^d (the DCGAN paper's). Sampling at temperature T
 * scales z by T (T < 1 trades diversity for typical samples, as the truncation trick does).
 */
import * as tf from '@tensorflow/tfjs-core';

export type NoisePrior = 'normal' | 'uniform';

export function drawNoise(
  prior: NoisePrior,
  n: number,
  dim: number,
  seed: number,
  temperature = 1,
): tf.Tensor2D {
  return (
    prior === 'normal'
      ? tf.randomNormal([n, dim], 0, temperature, 'float32', seed)
      : tf.randomUniform([n, dim], -temperature, temperature, 'float32', seed)
  ) as tf.Tensor2D;
}
