export { BatchStream, type StreamPosition } from './batch-stream.js';
export type {
  HistoryEntry,
  RunTiming,
  StepProgress,
  TrainBeginInfo,
  TrainerCallback,
  TrainResult,
} from './callbacks.js';
export * from './config.js';
export { MetricsWindow, type MetricsWindowState } from './metrics-window.js';
export {
  type KeyedVariable,
  type OptimizerKind,
  type OptimizerSnapshot,
  optimizerKind,
  restoreOptimizer,
  snapshotOptimizer,
} from './optimizer-state.js';
export { createOptimizer, setOptimizerLearningRate } from './optimizers.js';
export { closedFormUpdate, GRAD_NORM_METRIC, type GradientUpdate, gradientUpdate } from './player-step.js';
export { formatDuration, formatProgressLine } from './progress-line.js';
export { learningRateFactor } from './schedules.js';
export { type ModelRef, type ResumeOptions, Trainer, type TrainerOptions } from './trainer.js';
export { type ValidationOptions, validateObjectives } from './validation.js';
