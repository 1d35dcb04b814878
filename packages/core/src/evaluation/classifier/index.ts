/**
 * The per-dataset reference classifier and what it measures: features and class probabilities for the
 * sample-quality metrics (classifier_fd, classifier_kid, classifier_score, precision/recall), the
 * on-disk cache that makes every model on a dataset face the same classifier, and the Classification
 * Accuracy Score of conditional models.
 */
export { classifierAccuracy } from './accuracy.js';
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
} from './cache.js';
export {
  type ClassificationAccuracy,
  type ClassificationAccuracyOptions,
  classificationAccuracyScore,
} from './cas.js';
export { type ClassifierConfig, type ClassifierConfigInput, classifierConfigSchema } from './config.js';
export { ReferenceClassifier } from './network.js';
export {
  type ClassifierOutputs,
  classifierOutputs,
  type ImageSource,
  type OutputOptions,
} from './outputs.js';
export {
  MIN_SAMPLE_QUALITY_N,
  type SampleQuality,
  type SampleQualityOptions,
  sampleQuality,
} from './sample-quality.js';
export {
  type ClassifierProgress,
  type TrainClassifierOptions,
  type TrainedClassifier,
  trainClassifier,
} from './train.js';
export { toUnitRange } from './unit-range.js';
