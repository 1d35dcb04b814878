/**
 * DCGAN (Radford, Metz & Chintala 2016, "Unsupervised Representation Learning with Deep Convolutional
 * Generative Adversarial Networks"): the GAN of gan/model.ts,
 *
 *   min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))]   (the non-saturating generator loss by default),
 *
 * with the paper's all-convolutional networks (common/networks/dcgan.ts: transposed convolutions with
 * batch norm and ReLU in G, strided convolutions with leaky ReLU in D, N(0, 0.02²) weights) and its
 * Adam(2e-4, β₁ = 0.5) for both players (config.ts). The networks are the family's (any model can use
 * them), so what is DCGAN's own is this choice of defaults.
 */
import type { ModelContext } from '@genzoo/core';
import { AdversarialModel } from '../gan/model.js';
import type { DcganConfig } from './config.js';

/** The DCGAN: the GAN's two players with the config's loss and discriminator steps. */
export function createDcgan(config: DcganConfig, context: ModelContext): AdversarialModel<DcganConfig> {
  return new AdversarialModel('dcgan', config, context, {
    loss: config.loss,
    criticSteps: config.discriminatorSteps,
  });
}
