/**
 * @genzoo/evaluation/node — the reference classifiers' on-disk cache (one network per dataset and config,
 * trained once, locked while written, shared by every process that scores). Everything of
 * @genzoo/evaluation is exported here too.
 */

export {
  type CachedClassifier,
  CLASSIFIER_VERSION,
  type ClassifierInfo,
  classifierCacheDir,
  genzooCacheRoot,
  loadClassifier,
  type ReferenceClassifierOptions,
  referenceClassifier,
  saveClassifier,
} from './classifier/cache.js';
export * from './index.js';
