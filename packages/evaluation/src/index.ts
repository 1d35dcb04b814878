/**
 * @genzoo/evaluation — how genzoo measures models, platform-neutral: likelihood evaluation of any model on
 * a dataset (`evaluateModel`), sample quality through a per-dataset reference classifier (classifier-FD,
 * KID, inception-style score, precision/recall, CAS) and 2-D mode coverage. The reference classifier's
 * on-disk cache is in @genzoo/evaluation/node.
 */
export * from './classifier/index.js';
export { type EvaluateOptions, evaluateModel } from './evaluate.js';
export { type ModeCoverage, type ModeCoverageOptions, modeCoverage } from './mode-coverage.js';
export * from './sample-quality/index.js';
export { replaySamples } from './scoring/replayed-samples.js';
