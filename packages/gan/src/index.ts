/**
 * @genzoo/gan — generative adversarial networks as a genzoo plugin: the GAN (minimax, non-saturating and
 * least-squares losses), DCGAN, WGAN with weight clipping, WGAN-GP with the gradient penalty and the
 * class-conditional GAN, on MLP or DCGAN networks, BiGAN, and CycleGAN for unpaired image-to-image
 * translation, trained as two players of core's Trainer. GANs have no likelihood; core's sample-quality
 * metrics score them.
 */
import { ganPlugin } from './plugin.js';

export { type BiganConfig, biganConfigSchema } from './bigan/config.js';
export { biganDefinition } from './bigan/definition.js';
export { type CganConfig, cganConfigSchema } from './cgan/config.js';
export { cganDefinition } from './cgan/definition.js';
export { adversarialShape, DCGAN_ADAM, optimizersSchema, outputSchema } from './config/common.js';
export {
  type DcganNetworkConfig,
  dcganNetworkSchema,
  type MlpNetworkConfig,
  mlpNetworkSchema,
  type NetworkConfig,
  networkSchema,
} from './config/network.js';
export { type CycleganConfig, cycleganConfigSchema } from './cyclegan/config.js';
export { cycleganDefinition } from './cyclegan/definition.js';
export { type DcganConfig, dcganConfigSchema } from './dcgan/config.js';
export { dcganDefinition } from './dcgan/definition.js';
export { type GanConfig, ganConfigSchema } from './gan/config.js';
export { ganDefinition } from './gan/definition.js';
export {
  type AdversarialLoss,
  discriminatorLoss,
  discriminatorReadings,
  generatorLoss,
} from './losses/adversarial.js';
export { gradientPenalty, type PenaltyTerms } from './losses/gradient-penalty.js';
export { clipWeights } from './losses/weight-clipping.js';
export {
  type AdversarialConfig,
  AdversarialModel,
  type AdversarialSettings,
  DISCRIMINATOR,
  GENERATOR,
} from './models/adversarial-model.js';
export { Bigan, ENCODER } from './models/bigan.js';
export { ConditionalAdversarialModel } from './models/conditional-model.js';
export { Cyclegan, type TranslationLosses } from './models/cyclegan.js';
export { drawNoise, type NoisePrior } from './models/noise.js';
export { DiscriminatorHead, LabelEmbedding } from './networks/conditioning.js';
export { DcganFeatures, DcganGenerator } from './networks/dcgan.js';
export { JointHead } from './networks/joint-head.js';
export { MlpFeatures, MlpGenerator } from './networks/mlp.js';
export { PatchDiscriminator } from './networks/patch-discriminator.js';
export { ResnetGenerator } from './networks/resnet-generator.js';
export type { FeatureNetwork, GeneratorNetwork } from './networks/types.js';
export { type WganConfig, wganConfigSchema } from './wgan/config.js';
export { wganDefinition } from './wgan/definition.js';
export { type WganGpConfig, wganGpConfigSchema } from './wgan-gp/config.js';
export { wganGpDefinition } from './wgan-gp/definition.js';
export { ganPlugin };
export default ganPlugin;
