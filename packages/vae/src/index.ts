/**
 * @genzoo/vae — variational autoencoders as a genzoo plugin: the VAE, β-VAE, conditional VAE, IWAE, a
 * two-stochastic-layer VAE and NVAE's deep hierarchy of latent maps, with MLP or convolutional networks,
 * Bernoulli and Gaussian decoders, KL warm-up, free bits, and reparameterization or score-function
 * gradients.
 */
import { vaePlugin } from './plugin.js';

export { type BetaVaeConfig, betaVaeConfigSchema } from './beta-vae/config.js';
export { betaVaeDefinition } from './beta-vae/index.js';
export { type LikelihoodConfig, likelihoodSchema } from './common/config/likelihood.js';
export {
  type ConvNetworkConfig,
  convNetworkSchema,
  type MlpNetworkConfig,
  mlpNetworkSchema,
  type NetworkConfig,
  networkSchema,
} from './common/config/network.js';
export type { ObjectiveSettings } from './common/config/training.js';
export {
  encoderGradientVariance,
  type GradientVariance,
  type GradientVarianceOptions,
} from './common/inference/gradient-variance.js';
export { BernoulliObservation } from './common/likelihoods/bernoulli.js';
export { FixedVarianceGaussian } from './common/likelihoods/gaussian-fixed.js';
export { LearnedVarianceGaussian } from './common/likelihoods/gaussian-learned.js';
export type { ObservationModel } from './common/likelihoods/types.js';
export type { DecoderOutputs } from './common/networks/types.js';
export type { BoundLoss, LossOptions } from './common/objectives/bound.js';
export { elboLoss, elboPerExample } from './common/objectives/elbo.js';
export { type KlPenalty, klPenalty } from './common/objectives/free-bits.js';
export { iwaeBound, iwaeLoss, logWeights } from './common/objectives/iwae.js';
export { klWeight } from './common/objectives/kl-weight.js';
export type { PassOptions, VariationalPass } from './common/objectives/pass.js';
export { type ElboTerms, type EstimateOptions, VariationalModel } from './common/variational-model.js';
export { type CvaeConfig, cvaeConfigSchema } from './cvae/config.js';
export { cvaeDefinition } from './cvae/index.js';
export { ConditionalVae } from './cvae/model.js';
export { type HvaeConfig, hvaeConfigSchema } from './hvae/config.js';
export { hvaeDefinition } from './hvae/index.js';
export { type TwoLayerConfig, TwoLayerVae } from './hvae/model.js';
export { type IwaeConfig, iwaeConfigSchema } from './iwae/config.js';
export { iwaeDefinition } from './iwae/index.js';
export { SpectralRegularizer } from './nvae/cells.js';
export { type NvaeConfig, nvaeConfigSchema } from './nvae/config.js';
export { nvaeDefinition } from './nvae/index.js';
export {
  type GroupDraw,
  type HierarchyOptions,
  type HierarchyPass,
  type LatentGroup,
  Nvae,
} from './nvae/model.js';
export { klBalancingWeights, nvaeObjective } from './nvae/objective.js';
export { type VaeConfig, vaeConfigSchema } from './vae/config.js';
export { vaeDefinition } from './vae/index.js';
export { type SingleLayerConfig, Vae } from './vae/model.js';
export { vaePlugin };
export default vaePlugin;
