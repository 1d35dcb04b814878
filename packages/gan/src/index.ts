/**
 * @genzoo/gan — generative adversarial networks as a genzoo plugin: the GAN (minimax, non-saturating and
 * least-squares losses), DCGAN, WGAN with weight clipping, WGAN-GP with the gradient penalty and the
 * class-conditional GAN, on MLP or DCGAN networks, BiGAN, CycleGAN for unpaired image-to-image
 * translation and StarGAN for unpaired translation between many domains with one generator, trained as two players of core's Trainer. GANs have no likelihood; core's sample-quality
 * metrics score them.
 */
import { ganPlugin } from './plugin.js';

export { type BiganConfig, biganConfigSchema } from './bigan/config.js';
export { biganDefinition } from './bigan/index.js';
export { JointHead } from './bigan/joint-head.js';
export { Bigan, ENCODER } from './bigan/model.js';
export { type CganConfig, cganConfigSchema } from './cgan/config.js';
export { cganDefinition } from './cgan/index.js';
export { ConditionalAdversarialModel } from './cgan/model.js';
export {
  adversarialShape,
  DCGAN_ADAM,
  optimizersSchema,
  outputSchema,
  type PlayerOptimizers,
} from './common/config/adversarial.js';
export {
  type DcganNetworkConfig,
  dcganNetworkSchema,
  type MlpNetworkConfig,
  mlpNetworkSchema,
  type NetworkConfig,
  networkSchema,
} from './common/config/network.js';
export {
  type AdversarialLoss,
  discriminatorLoss,
  discriminatorReadings,
  generatorLoss,
} from './common/losses/adversarial.js';
export { DiscriminatorHead, LabelEmbedding } from './common/networks/conditioning.js';
export { DcganFeatures, DcganGenerator, type ImageShape } from './common/networks/dcgan.js';
export { MlpFeatures, MlpGenerator } from './common/networks/mlp.js';
export type { OutputActivation } from './common/networks/output.js';
export type { FeatureNetwork, GeneratorNetwork } from './common/networks/types.js';
export { drawNoise, type NoisePrior } from './common/noise.js';
export { DISCRIMINATOR, GENERATOR } from './common/players.js';
export { type CycleganConfig, cycleganConfigSchema } from './cyclegan/config.js';
export { cycleganDefinition } from './cyclegan/index.js';
export { Cyclegan, type TranslationLosses } from './cyclegan/model.js';
export { PatchDiscriminator } from './cyclegan/patch-discriminator.js';
export { ResnetGenerator } from './cyclegan/resnet-generator.js';
export { type DcganConfig, dcganConfigSchema } from './dcgan/config.js';
export { dcganDefinition } from './dcgan/index.js';
export { type GanConfig, ganConfigSchema } from './gan/config.js';
export { ganDefinition } from './gan/index.js';
export {
  type AdversarialConfig,
  AdversarialModel,
  type AdversarialSettings,
  type CriticConstraint,
} from './gan/model.js';
export { type StarganConfig, starganConfigSchema } from './stargan/config.js';
export { type DiscriminatorOutputs, StarganDiscriminator } from './stargan/discriminator.js';
export { ConditionalResnetGenerator } from './stargan/generator.js';
export { starganDefinition } from './stargan/index.js';
export { type DiscriminatorTerms, type GeneratorTerms, Stargan } from './stargan/model.js';
export { type WganConfig, wganConfigSchema } from './wgan/config.js';
export { wganDefinition } from './wgan/index.js';
export { clipWeights, weightClipping } from './wgan/model.js';
export { type WganGpConfig, wganGpConfigSchema } from './wgan-gp/config.js';
export { wganGpDefinition } from './wgan-gp/index.js';
export { gradientPenalty, gradientPenaltyConstraint, type PenaltyTerms } from './wgan-gp/model.js';
export { ganPlugin };
export default ganPlugin;
