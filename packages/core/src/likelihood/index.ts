/** Likelihood arithmetic the models share: log-sum-exp, importance-weighted estimates and units. */
export { type StreamingLogMeanExpOptions, streamingLogMeanExp } from './importance.js';
export { logAddExp, logMeanExp, logSumExp } from './logsumexp.js';
export {
  bitsPerDimToNats,
  dequantizationOffset,
  eventSize,
  type LikelihoodMetrics,
  likelihoodMetrics,
  natsToBitsPerDim,
} from './units.js';
