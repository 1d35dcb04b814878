/**
 * @genzoo/autoregressive — exact-likelihood autoregressive models as a genzoo plugin: NADE, MADE (mask
 * ensembles, random orders, binary or real outputs, class context), PixelCNN and Gated PixelCNN with
 * Bernoulli, 256-way softmax or PixelCNN++ discretized logistic-mixture heads, the multiscale PixelCNN
 * (parallel sampling by pixel groups, binary images); sampling, completion of
 * partially observed images, temperature, spatial conditioning maps (Gated PixelCNN), and a PixelCNN prior
 * over grids of discrete codes.
 */
import { autoregressivePlugin } from './plugin.js';

export { CodePrior, type CodePriorOptions, createCodePrior } from './code-prior/model.js';
export { BernoulliHead } from './common/heads/bernoulli.js';
export { CategoricalHead, type CategoricalValues } from './common/heads/categorical.js';
export { buildHead, type HeadConfig, headSchema } from './common/heads/config.js';
export { type ContinuousFamily, ContinuousHead } from './common/heads/continuous.js';
export { LogisticMixtureHead } from './common/heads/logistic-mixture.js';
export type { OutputHead } from './common/heads/types.js';
export type { Freezable } from './common/layers/frozen-kernels.js';
export { MaskedConv2D } from './common/layers/masked-conv2d.js';
export { MaskedDense } from './common/layers/masked-dense.js';
export { ShiftedConv2D, type ShiftedConvOptions } from './common/layers/shifted-conv2d.js';
export {
  connectivity,
  type HiddenDegrees,
  inputDegrees,
  layerDegrees,
  type MaskSet,
  maskSet,
  type Ordering,
  orderOf,
} from './common/masks/degrees.js';
export { type MaskType, pixelMask } from './common/masks/pixel-masks.js';
export {
  type AutoregressiveLikelihoodOptions,
  AutoregressiveModel,
  type AutoregressiveSampleOptions,
} from './common/models/autoregressive-model.js';
export { ImageAutoregressiveModel } from './common/models/image-model.js';
export { MaskedAutoencoder, type MaskedAutoencoderOptions } from './common/networks/masked-autoencoder.js';
export type { ImageNetwork, ReceptiveField } from './common/networks/types.js';
export { nllObjective, type VariantLikelihood } from './common/objectives/nll.js';
export { type GatedPixelcnnConfig, gatedPixelcnnConfigSchema } from './gated-pixelcnn/config.js';
export { gatedPixelcnnDefinition } from './gated-pixelcnn/index.js';
export {
  createGatedPixelCnn,
  GatedPixelCnnNetwork,
  type GatedPixelCnnShape,
} from './gated-pixelcnn/model.js';
export { type MadeConfig, madeConfigSchema } from './made/config.js';
export { madeDefinition } from './made/index.js';
export { Made, type MadeSettings } from './made/model.js';
export {
  type MultiscalePixelcnnConfig,
  multiscalePixelcnnConfigSchema,
} from './multiscale-pixelcnn/config.js';
export { multiscalePixelcnnDefinition } from './multiscale-pixelcnn/index.js';
export {
  createMultiscalePixelCnn,
  MultiscalePixelCnn,
  UpsampleNetwork,
} from './multiscale-pixelcnn/model.js';
export { type NadeConfig, nadeConfigSchema } from './nade/config.js';
export { nadeDefinition } from './nade/index.js';
export { Nade, type NadeSettings } from './nade/model.js';
export { type PixelcnnConfig, pixelcnnConfigSchema } from './pixelcnn/config.js';
export { pixelcnnDefinition } from './pixelcnn/index.js';
export { createPixelCnn, PixelCnnNetwork, type PixelCnnShape } from './pixelcnn/model.js';
export { autoregressivePlugin };
export default autoregressivePlugin;
