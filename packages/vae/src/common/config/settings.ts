import type { ObjectiveSettings } from './training.js';

/** The training options of a parsed config, for `ObjectiveSettings`. */
export function trainingOptionsOf(config: {
  klWarmupSteps: number;
  freeBits: number;
  estimator: ObjectiveSettings['estimator'];
  baseline: ObjectiveSettings['baseline'];
}): Pick<ObjectiveSettings, 'klWarmupSteps' | 'freeBits' | 'estimator' | 'baseline'> {
  const { klWarmupSteps, freeBits, estimator, baseline } = config;
  return { klWarmupSteps, freeBits, estimator, baseline };
}
