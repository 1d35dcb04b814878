export * from './classifier/index.js';
export { type EvaluateOptions, evaluateModel } from './evaluate.js';
export { type StreamingLogMeanExpOptions, streamingLogMeanExp } from './importance.js';
export { logAddExp, logMeanExp, logSumExp } from './logsumexp.js';
export { type ModeCoverage, type ModeCoverageOptions, modeCoverage } from './mode-coverage.js';
export * from './sample-quality/index.js';
export {
  bitsPerDimToNats,
  dequantizationOffset,
  eventSize,
  type LikelihoodMetrics,
  likelihoodMetrics,
  natsToBitsPerDim,
} from './units.js';
