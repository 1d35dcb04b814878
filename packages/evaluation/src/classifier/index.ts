/**
 * The per-dataset reference classifier and what it measures: features and class probabilities for the
 * sample-quality metrics (classifier_fd, classifier_kid, classifier_score, precision/recall), the
 * Classification Accuracy Score of conditional models (the on-disk cache that makes every model on a
 * dataset face the same classifier is in @genzoo/evaluation/node).
 */
export { classifierAccuracy } from './accuracy.js';
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
