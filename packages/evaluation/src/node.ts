/**
 * @genzoo/evaluation/node — the reference classifiers' on-disk cache (one network per dataset and config,
 * trained once, locked while written, shared by every process that scores), and the scoring of a model on
 * its run's data by dataset name (`scoreSamples`: images through the cached classifier, 2-D sets by their
 * coordinates, translation models by their translations), as `genzoo score` and the benchmarks do it.
 * Everything of @genzoo/evaluation is exported here too.
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
export {
  checkScoreCount,
  type SamplesScore,
  type ScoreOptions,
  type ScoreResult,
  scoreModel,
  scoreSamples,
} from './scoring/score-samples.js';
