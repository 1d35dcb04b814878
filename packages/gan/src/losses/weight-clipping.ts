/**
 * WGAN's weight clipping (Arjovsky et al. 2017, Alg. 1, line 7): after every critic update each weight
 * is clamped to [−c, c], which bounds the critic's Lipschitz constant by a constant depending on c and
 * the architecture ("a clearly terrible way to enforce a Lipschitz constraint", §3, but the paper's).
 */
import * as tf from '@tensorflow/tfjs-core';

export function clipWeights(variables: readonly tf.Variable[], clip: number): void {
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.clipByValue(v, -clip, clip));
  });
}
