/**
 * @genzoo/vae — variational autoencoders as a genzoo plugin: the VAE, β-VAE, conditional VAE, IWAE and a
 * two-stochastic-layer VAE, with MLP or convolutional networks, Bernoulli and Gaussian decoders, KL
 * warm-up, free bits, and reparameterization or score-function gradients.
 */
import { vaePlugin } from './plugin.js';

export { type BetaVaeConfig, betaVaeConfigSchema } from './beta-vae/config.js';
export { betaVaeDefinition } from './beta-vae/definition.js';
export { type LikelihoodConfig, likelihoodSchema } from './config/likelihood.js';
export {
  type ConvNetworkConfig,
  convNetworkSchema,
  type MlpNetworkConfig,
  mlpNetworkSchema,
  type NetworkConfig,
  networkSchema,
} from './config/network.js';
export type { ObjectiveSettings } from './config/training.js';
export { type CvaeConfig, cvaeConfigSchema } from './cvae/config.js';
export { cvaeDefinition } from './cvae/definition.js';
export { type HvaeConfig, hvaeConfigSchema } from './hvae/config.js';
export { hvaeDefinition } from './hvae/definition.js';
export {
  encoderGradientVariance,
  type GradientVariance,
  type GradientVarianceOptions,
} from './inference/gradient-variance.js';
export { type IwaeConfig, iwaeConfigSchema } from './iwae/config.js';
export { iwaeDefinition } from './iwae/definition.js';
export { BernoulliObservation } from './likelihoods/bernoulli.js';
export { FixedVarianceGaussian } from './likelihoods/gaussian-fixed.js';
export { LearnedVarianceGaussian } from './likelihoods/gaussian-learned.js';
export type { ObservationModel } from './likelihoods/types.js';
export { ConditionalVae } from './models/conditional-vae.js';
export { type TwoLayerConfig, TwoLayerVae } from './models/two-layer-vae.js';
export { type SingleLayerConfig, Vae } from './models/vae.js';
export { type ElboTerms, type EstimateOptions, VariationalModel } from './models/variational-model.js';
export { elboLoss, elboPerExample } from './objectives/elbo.js';
export { klPenalty } from './objectives/free-bits.js';
export { iwaeBound, iwaeLoss, logWeights } from './objectives/iwae.js';
export { klWeight } from './objectives/kl-weight.js';
export type { PassOptions, VariationalPass } from './objectives/pass.js';
export { type VaeConfig, vaeConfigSchema } from './vae/config.js';
export { vaeDefinition } from './vae/definition.js';
export { vaePlugin };
export default vaePlugin;
