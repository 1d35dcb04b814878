/**
 * The base distribution p_Z of a flow: a standard normal (RealNVP, Glow, MAF) or a standard logistic
 * (NICE, Dinh et al. 2015, §3.4: its heavier tails give better-behaved gradients), independent over
 * every latent value. Sampling at temperature T scales the draws by T (Glow, §5: T < 1 trades
 * diversity for fidelity); the density stays that of T = 1.
 */
import { Logistic, Normal } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { sumPerExample } from './bijectors/log-det.js';

export type BaseKind = 'normal' | 'logistic';

/** The standard distribution of the kind with scale `scale` (1 for densities, T for sampling). */
function standard(kind: BaseKind, scale: number): Normal | Logistic {
  return kind === 'normal'
    ? new Normal(tf.scalar(0), tf.scalar(scale))
    : new Logistic(tf.scalar(0), tf.scalar(Math.log(scale)));
}

export class BaseDistribution {
  constructor(readonly kind: BaseKind) {}

  /** Σ over the event of log p_Z(z), per example: [batch]. */
  logProb(z: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => sumPerExample(standard(this.kind, 1).logProb(z)));
  }

  /** n draws of the event shape, scaled by the temperature. */
  sample(n: number, eventShape: readonly number[], seed: number, temperature: number): tf.Tensor {
    return tf.tidy(() => standard(this.kind, temperature).sample(seed, [n, ...eventShape]));
  }
}
