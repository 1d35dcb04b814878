/**
 * @genzoo/vq-vae — vector-quantized autoencoders as a genzoo plugin: the VQ-VAE with a convolutional
 * encoder and decoder, a K-code codebook learned by the loss or by exponential moving averages, the
 * straight-through gradient, dead-code restarts, and code grids in and out (`encodeCodes`, `decodeCodes`)
 * for a prior fitted to the codes; and PixelVAE (a VAE whose decoder is a Gated PixelCNN conditioned on the
 * latent).
 */
import { vqVaePlugin } from './plugin.js';

export { Decoder, Encoder, type NetworkOptions, ResidualBlock } from './common/networks.js';
export { type Observation, observationOf } from './common/observation.js';
export {
  codeStatistics,
  type DeadCodeRestartOptions,
  type Quantized,
  type QuantizerOptions,
  stopGradient,
  VectorQuantizer,
} from './common/quantizer.js';
export {
  type PixelVaeConfig,
  pixelVaeConfigSchema,
  pixelVaeDecoderSchema,
} from './pixel-vae/config.js';
export { pixelVaeDefinition } from './pixel-vae/index.js';
export { PixelVae, type PixelVaeEstimateOptions, type PixelVaeTerms } from './pixel-vae/model.js';
export { pixelVaeRecipes } from './pixel-vae/recipes.js';
export {
  type FrozenVqVae,
  frozenVqVaeSchema,
  type VqVaePriorConfig,
  vqVaePriorConfigSchema,
} from './two-stage/config.js';
export { assignWeights, type FirstStage, firstStageOf } from './two-stage/frozen.js';
export { vqVaePriorDefinition } from './two-stage/index.js';
export { TwoStageVqVae } from './two-stage/model.js';
export {
  type FrozenTensor,
  type FrozenVqVaeSource,
  readVqVae,
  setVqVaeReader,
  type VqVaeReader,
} from './two-stage/source.js';
export {
  codebookSchema,
  type DecoderConfig,
  deadCodeRestartSchema,
  decoderSchema,
  type VqVaeConfig,
  vqVaeConfigSchema,
} from './vq-vae/config.js';
export { vqVaeDefinition } from './vq-vae/index.js';
export { type VqPass, VqVae } from './vq-vae/model.js';
export { vqVaeRecipes } from './vq-vae/recipes.js';
export { type VqVae2Config, vqVae2ConfigSchema } from './vq-vae-2/config.js';
export { vqVae2Definition } from './vq-vae-2/index.js';
export { type HierarchicalCodes, LEVELS, type Level, VqVae2, type VqVae2Pass } from './vq-vae-2/model.js';
export { vqVae2Recipes } from './vq-vae-2/recipes.js';
export { type VqVae2PriorConfig, vqVae2PriorConfigSchema } from './vq-vae-2-prior/config.js';
export { vqVae2PriorDefinition } from './vq-vae-2-prior/index.js';
export { type PriorTerms, TwoStageVqVae2 } from './vq-vae-2-prior/model.js';
export { vqVae2PriorRecipes } from './vq-vae-2-prior/recipes.js';
export { vqVaePlugin };
export default vqVaePlugin;
