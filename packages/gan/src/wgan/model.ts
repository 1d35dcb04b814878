/**
 * WGAN (Arjovsky, Chintala & Bottou 2017, "Wasserstein Generative Adversarial Networks"): the GAN of
 * gan/model.ts with a critic f (no sigmoid) in place of the discriminator and the Wasserstein loss
 * (common/losses/adversarial.ts), from the Kantorovich-Rubinstein duality
 *
 *   W(p_data, p_G) = sup_{‖f‖_L ≤ 1}  E_x[f(x)] − E_z[f(G(z))],
 *
 * the critic minimizing E f(G(z)) − E f(x) n_critic = 5 times per generator update, the generator
 * minimizing −E f(G(z)), both with RMSProp (config.ts). What is WGAN's own is how it keeps f Lipschitz:
 *
 * weight clipping (Alg. 1, line 7): after every critic update each weight is clamped to [−c, c], which
 * bounds the critic's Lipschitz constant by a constant depending on c and the architecture ("a clearly
 * terrible way to enforce a Lipschitz constraint", §3, but the paper's), given to the GAN as its critic
 * constraint (`weightClipping`), which the training plan runs as the critic's `afterUpdate`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CriticConstraint } from '../gan/model.js';

/** WGAN's critic constraint: every critic weight clamped to [−clip, clip] after each critic update. */
export function weightClipping(clip: number): CriticConstraint {
  return { afterUpdate: (critic) => clipWeights(critic, clip) };
}

export function clipWeights(variables: readonly tf.Variable[], clip: number): void {
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.clipByValue(v, -clip, clip));
  });
}
