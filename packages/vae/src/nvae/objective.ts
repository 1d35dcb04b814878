/**
 * NVAE's training objective (Vahdat & Kautz 2020, eq. 1 with §3.2 and Appendix A): with one draw
 * z ~ q(z|x) per example (reparameterized),
 *
 *   ELBO(x) = log p(x|z) − Σ_l KL_l(x),   KL_l = KL(q(z_l|x, z<l) ‖ p(z_l|z<l))  (analytic, given z<l)
 *   loss    = −(1/B) Σ_b [log p(x_b|z) − β_t Σ_l γ_l KL_l(x_b)] + λ Σ_i σ(W_i)
 *
 * β_t = min(1, t/N) is the KL warm-up over N steps (`klWarmupSteps`). KL balancing (Appendix A) weights
 * the groups while β_t < 1 by
 *
 *   γ_l ∝ s_l · (mean over the batch of KL_l + 0.01),   normalized to mean 1 over the groups,
 *
 * s_l the number of latent variables of group l, γ held constant for autodiff: a group whose KL is small
 * is pushed towards the prior less, so no group collapses before the warm-up ends. (The authors' code
 * divides by a per-scale α ∝ spatial size instead; this follows the paper.) After the warm-up γ_l = 1 and
 * the loss is the negative ELBO itself. λ Σ σ(W) is the spectral regularization (`spectralRegularization`,
 * cells.ts), one power-iteration step per training step.
 *
 * Logged: `elbo`, `recon` (log p(x|z)), `kl` (Σ_l KL_l), `kl_1` … `kl_L` (each group's KL, batch mean),
 * `beta`, and `spectral` (Σ σ(W), when λ > 0).
 */
import type { Batch, Objective, ObjectiveResult, StepContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { klWeight } from '../common/objectives/kl-weight.js';
import { stopGradient } from '../common/objectives/stop-gradient.js';
import type { Nvae } from './model.js';

/** γ_l ∝ s_l · (E_batch[KL_l] + 0.01), mean 1 over the L groups: [L], no gradient. `kl`: [B, L]. */
export function klBalancingWeights(kl: tf.Tensor2D, groupSizes: number[]): tf.Tensor1D {
  return tf.tidy(() => {
    const average = tf.add(tf.mean(tf.abs(stopGradient(kl)), 0), 0.01);
    const weights = tf.mul(average, tf.tensor1d(groupSizes));
    return tf.div(weights, tf.mean(weights)) as tf.Tensor1D;
  });
}

export function nvaeObjective(model: Nvae): Objective {
  const { klWarmupSteps, klBalancing, spectralRegularization } = model.config;
  const sizes = model.groups.map((g) => g.size);
  return {
    name: 'nvae-elbo',
    compute(batch: Batch, context: StepContext): ObjectiveResult {
      const beta = klWeight(1, klWarmupSteps, context.step);
      const terms = model.terms(batch.x, {
        samples: 1,
        seed: context.nextSeed(),
        training: true,
        reparameterize: true,
      });
      const reconstruction = tf.mean(terms.logLikelihood) as tf.Scalar;
      // KL_l per example, [B, L].
      const kl = tf.stack(
        terms.klPerDim.map((g) => tf.sum(tf.squeeze(g, [0]), -1)),
        1,
      ) as tf.Tensor2D;
      const perGroup = tf.mean(kl, 0) as tf.Tensor1D;
      const total = tf.sum(perGroup) as tf.Scalar;
      const weighted =
        klBalancing && beta < 1
          ? (tf.sum(tf.mul(klBalancingWeights(kl, sizes), perGroup)) as tf.Scalar)
          : total;
      let loss = tf.sub(tf.mul(beta, weighted), reconstruction) as tf.Scalar;
      const metrics: Record<string, tf.Scalar> = {
        elbo: tf.sub(reconstruction, total),
        recon: reconstruction,
        kl: total,
        beta: tf.scalar(beta),
      };
      tf.unstack(perGroup).forEach((value, l) => {
        metrics[`kl_${l + 1}`] = value as tf.Scalar;
      });
      if (spectralRegularization > 0) {
        const spectral = model.spectral.sum();
        loss = tf.add(loss, tf.mul(spectralRegularization, spectral)) as tf.Scalar;
        metrics.spectral = spectral;
      }
      return { loss, metrics };
    },
  };
}
