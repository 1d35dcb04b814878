/**
 * @genzoo/classic — Gaussian mixtures (EM and gradient) and probabilistic PCA as a genzoo plugin.
 */
import { classicPlugin } from './plugin.js';

// Moved to @genzoo/core; still exported here so that code importing it from classic keeps working.
export { type SymmetricEigen, symmetricEigen } from '@genzoo/core';
export { type GmmConfig, gmmConfigSchema } from './gmm/config.js';
export { gmmDefinition } from './gmm/definition.js';
export { type KMeansOptions, kmeansLabels } from './gmm/kmeans.js';
export { GaussianMixture } from './gmm/model.js';
export { type CovarianceType, MixtureParameters } from './gmm/parameters.js';
export { cholesky, inverseFromCholesky, invertLower, logDetFromCholesky } from './linalg/cholesky.js';
export { type PpcaConfig, ppcaConfigSchema } from './ppca/config.js';
export { ppcaDefinition } from './ppca/definition.js';
export { ProbabilisticPca } from './ppca/model.js';
export { PpcaParameters } from './ppca/parameters.js';
export { classicPlugin };
export default classicPlugin;
