/**
 * Sample-quality metrics that compare generated images with real ones through a classifier's features
 * or class probabilities: Fréchet distance, kernel distance (KID), classifier (Inception-style) score and
 * improved precision/recall. genzoo's classifier is a small network trained per dataset, so the numbers
 * rank models scored with the same classifier; they are not comparable with the Inception-based FID, KID
 * and IS that papers report.
 */
export { type ClassifierScore, type ClassifierScoreOptions, classifierScore } from './classifier-score.js';
export { checkFeatureSet, type FeatureSet } from './features.js';
export { type FeatureStatistics, featureStatistics, frechetDistance } from './frechet.js';
export { type KernelDistance, type KernelDistanceOptions, kernelDistance } from './kernel-distance.js';
export { type PrecisionRecall, type PrecisionRecallOptions, precisionRecall } from './precision-recall.js';
