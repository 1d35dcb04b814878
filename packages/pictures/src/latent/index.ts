/**
 * Latent-space pictures for any model with an encoder and a decoder (`LatentModel`): the 2-D manifold grid,
 * per-dimension traversals, interpolation and latent arithmetic, plus the pieces they are built from.
 */
export { type LatentArithmeticOptions, latentArithmetic } from './arithmetic.js';
export type { ExplorableModel } from './codes.js';
export { latentDimensionKl } from './dimension-kl.js';
export {
  type InterpolationMethod,
  type InterpolationOptions,
  interpolate,
  type LatentInterpolation,
} from './interpolation.js';
export { lerp, slerp } from './interpolation-paths.js';
export {
  type LatentManifoldGrid,
  type LatentManifoldGridOptions,
  latentManifoldGrid,
} from './manifold-grid.js';
export { normalQuantile } from './normal-quantile.js';
export { type LatentPicture, type RenderLatentPictureOptions, renderLatentPicture } from './picture.js';
export { type LatentTraversalOptions, type LatentTraversals, latentTraversals } from './traversals.js';
