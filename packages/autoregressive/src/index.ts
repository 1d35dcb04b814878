/**
 * @genzoo/autoregressive — exact-likelihood autoregressive models as a genzoo plugin: NADE, MADE (mask
 * ensembles, random orders, binary or real outputs, class context), PixelCNN and Gated PixelCNN with
 * Bernoulli, 256-way softmax or PixelCNN++ discretized logistic-mixture heads; sampling, completion of
 * partially observed images, temperature, and a PixelCNN prior over grids of discrete codes.
 */
import { autoregressivePlugin } from './plugin.js';

export { type GatedPixelcnnConfig, gatedPixelcnnConfigSchema } from './gated-pixelcnn/config.js';
export { gatedPixelcnnDefinition } from './gated-pixelcnn/definition.js';
export { BernoulliHead } from './heads/bernoulli.js';
export { CategoricalHead, type CategoricalValues } from './heads/categorical.js';
export { buildHead, type HeadConfig, headSchema } from './heads/config.js';
export { type ContinuousFamily, ContinuousHead } from './heads/continuous.js';
export { LogisticMixtureHead } from './heads/logistic-mixture.js';
export type { OutputHead } from './heads/types.js';
export { MaskedConv2D } from './layers/masked-conv2d.js';
export { MaskedDense } from './layers/masked-dense.js';
export { ShiftedConv2D, type ShiftedConvOptions } from './layers/shifted-conv2d.js';
export { type MadeConfig, madeConfigSchema } from './made/config.js';
export { madeDefinition } from './made/definition.js';
export {
  connectivity,
  type HiddenDegrees,
  inputDegrees,
  layerDegrees,
  type MaskSet,
  maskSet,
  type Ordering,
  orderOf,
} from './masks/degrees.js';
export { type MaskType, pixelMask } from './masks/pixel-masks.js';
export { AutoregressiveModel } from './models/autoregressive-model.js';
export { ImageAutoregressiveModel } from './models/image-model.js';
export { Made } from './models/made.js';
export { Nade } from './models/nade.js';
export { nllObjective } from './models/nll-objective.js';
export { createGatedPixelCnn, createPixelCnn } from './models/pixelcnn.js';
export { type NadeConfig, nadeConfigSchema } from './nade/config.js';
export { nadeDefinition } from './nade/definition.js';
export { GatedPixelCnnNetwork, type GatedPixelCnnShape } from './networks/gated-pixelcnn.js';
export { MaskedAutoencoder, type MaskedAutoencoderOptions } from './networks/masked-autoencoder.js';
export { PixelCnnNetwork, type PixelCnnShape } from './networks/pixelcnn.js';
export type { ImageNetwork, ReceptiveField } from './networks/types.js';
export { type PixelcnnConfig, pixelcnnConfigSchema } from './pixelcnn/config.js';
export { pixelcnnDefinition } from './pixelcnn/definition.js';
export { CodePrior, type CodePriorOptions, createCodePrior } from './priors/code-prior.js';
export { autoregressivePlugin };
export default autoregressivePlugin;
