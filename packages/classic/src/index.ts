/**
 * @genzoo/classic — Gaussian mixtures (EM and gradient) and probabilistic PCA as a genzoo plugin.
 */
import { classicPlugin } from './plugin.js';

// Moved to @genzoo/core; still exported here so that code importing it from classic keeps working.
export { type SymmetricEigen, symmetricEigen } from '@genzoo/core';
export { cholesky, inverseFromCholesky, invertLower, logDetFromCholesky } from './common/linalg/cholesky.js';
export { type GmmConfig, gmmConfigSchema } from './gmm/config.js';
export { gmmDefinition } from './gmm/index.js';
export { type KMeansOptions, kmeansLabels } from './gmm/kmeans.js';
export { GaussianMixture } from './gmm/model.js';
export { type CovarianceType, MixtureParameters } from './gmm/parameters.js';
export { type PpcaConfig, ppcaConfigSchema } from './ppca/config.js';
export type { LatentGeometry } from './ppca/geometry.js';
export { ppcaDefinition } from './ppca/index.js';
export { ProbabilisticPca } from './ppca/model.js';
export { PpcaParameters } from './ppca/parameters.js';
export { classicPlugin };
export default classicPlugin;
