/**
 * The adversarial losses, as functions of the discriminator's outputs on real and generated examples.
 *
 * With D(x) = σ(l(x)) for a logit l (Goodfellow et al. 2014, "Generative Adversarial Nets"), the value
 *
 *   V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))]
 *
 * is maximized by D and minimized by G. Written with logits, −log σ(l) = softplus(−l) and
 * −log(1 − σ(l)) = softplus(l), which stay finite for any l:
 *
 *   discriminator (both GAN losses):  E softplus(−l(x)) + E softplus(l(G(z)))                = −V
 *   generator, `minimax`:             E log(1 − D(G(z))) = −E softplus(l(G(z)))              (saturates
 *                                     early in training: its gradient vanishes when D wins)
 *   generator, `non-saturating`:      −E log D(G(z)) = E softplus(−l(G(z)))                   (§3 of the paper)
 *
 * The Wasserstein GAN (Arjovsky, Chintala & Bottou 2017) reads the output f(x) as a critic, not a
 * probability, and estimates W(p_data, p_G) = sup_{‖f‖_L ≤ 1} E f(x) − E f(G(z)):
 *
 *   critic:     E f(G(z)) − E f(x)        generator:  −E f(G(z))
 *
 * with the Lipschitz constraint kept by weight clipping (WGAN) or a gradient penalty (WGAN-GP).
 *
 * The least-squares GAN (Mao et al. 2017, "Least Squares Generative Adversarial Networks", with the
 * 0-1 targets a = 0, b = c = 1) regresses the raw output D(x) on 1 for real and 0 for generated examples:
 *
 *   discriminator:  ½E(D(x) − 1)² + ½E D(G(z))²        generator:  ½E(D(G(z)) − 1)²
 *
 * Its generator gradient grows with the distance of D(G(z)) from the real target instead of vanishing
 * for samples D rejects confidently (CycleGAN trains with it, §4).
 */
import * as tf from '@tensorflow/tfjs-core';

export type AdversarialLoss = 'minimax' | 'non-saturating' | 'wasserstein' | 'least-squares';

/** The loss the discriminator (critic) minimizes, from its outputs on a real and a generated batch. */
export function discriminatorLoss(kind: AdversarialLoss, real: tf.Tensor1D, fake: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    if (kind === 'wasserstein') return tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar;
    if (kind === 'least-squares') {
      return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake)))) as tf.Scalar;
    }
    return tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))) as tf.Scalar;
  });
}

/** The loss the generator minimizes, from the discriminator's outputs on its samples. */
export function generatorLoss(kind: AdversarialLoss, fake: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'minimax':
        return tf.neg(tf.mean(tf.softplus(fake))) as tf.Scalar;
      case 'non-saturating':
        return tf.mean(tf.softplus(tf.neg(fake))) as tf.Scalar;
      case 'wasserstein':
        return tf.neg(tf.mean(fake)) as tf.Scalar;
      case 'least-squares':
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fake, 1)))) as tf.Scalar;
    }
  });
}

/**
 * What the discriminator's outputs say, for the logs: for the GAN losses the mean probabilities D(x)
 * and D(G(z)) it assigns to real and generated examples, for the least-squares loss the mean outputs
 * (their targets are 1 and 0), for the critic the mean outputs and their difference, the estimate of the
 * Wasserstein distance.
 */
export function discriminatorReadings(
  kind: AdversarialLoss,
  real: tf.Tensor1D,
  fake: tf.Tensor1D,
): Record<string, tf.Scalar> {
  if (kind === 'wasserstein') {
    return {
      criticReal: tf.mean(real),
      criticFake: tf.mean(fake),
      wassersteinEstimate: tf.sub(tf.mean(real), tf.mean(fake)),
    };
  }
  if (kind === 'least-squares') return { dReal: tf.mean(real), dFake: tf.mean(fake) };
  return { dReal: tf.mean(tf.sigmoid(real)), dFake: tf.mean(tf.sigmoid(fake)) };
}
