/**
 * What the Trainer tells the outside world while it runs. Every hook is optional and may be async (the
 * Trainer awaits it before going on).
 *
 * Step numbers in callbacks, logs and checkpoints count completed steps: `onStepEnd(1, …)` follows the
 * first update, and a checkpoint at step 100 holds the model after 100 steps. (The objective's
 * `StepContext.step` is the 0-based index of the step being run, i.e. one less.)
 */

export interface TrainBeginInfo {
  /** Completed steps when this run starts (0, or the checkpoint's step when resuming). */
  startStep: number;
  totalSteps: number;
  resumed: boolean;
  batchSize: number;
  /** Batches one step consumes: the sum of the schedule's repeats. */
  batchesPerStep: number;
  batchesPerEpoch: number;
  players: string[];
}

export interface StepProgress {
  totalSteps: number;
  /** Fractional epochs of training data consumed so far. */
  epoch: number;
  /** Seconds since this run started. */
  seconds: number;
  /** Training examples per second over this run. */
  examplesPerSecond: number;
  /** Learning rate of each gradient player at this step. */
  lr: Record<string, number>;
}

/** One line of the metrics log: training metrics averaged over the steps since the last line, or an evaluation. */
export interface HistoryEntry {
  kind: 'train' | 'eval';
  step: number;
  epoch: number;
  seconds: number;
  /** Learning rate of each gradient player (training lines only). */
  lr?: Record<string, number>;
  metrics: Record<string, number>;
}

/**
 * Where a run's wall-clock went, in seconds. `steps` is the training loop alone (the learning-rate
 * schedule and the players' updates), so `trainExamplesPerSecond` is not diluted by evaluations,
 * checkpoints or callbacks.
 */
export interface RunTiming {
  /** Model initialization, optimizer slots and `onTrainBegin` callbacks. */
  setup: number;
  /** The training steps themselves. */
  steps: number;
  /** Periodic and final evaluations, with their `onEval`/`onLog` callbacks. */
  evaluation: number;
  /** Writing checkpoints (reading the weights back, the next-batch probe, the storage, `onCheckpoint`). */
  checkpoints: number;
  /** The rest: the step and log callbacks (progress bars, metric files). */
  other: number;
}

export interface TrainResult {
  /** Completed steps in total (including those before a resume). */
  steps: number;
  /** Fractional epochs consumed in total. */
  epochs: number;
  /** Wall-clock seconds of this run. */
  seconds: number;
  /** Training examples over this run's wall-clock `seconds`. */
  examplesPerSecond: number;
  /** Training examples over `timing.steps`: the training loop's own throughput. */
  trainExamplesPerSecond: number;
  /** Shards each batch was split into (`config.workers`): 1, or the main thread and its gradient workers. */
  workers: number;
  timing: RunTiming;
  /** Metrics of the last step. */
  lastMetrics: Record<string, number>;
  /** Metrics of the final evaluation ({} when there was nothing to evaluate on). */
  evalMetrics: Record<string, number>;
  /** The log lines of this run (training and evaluation). */
  history: HistoryEntry[];
}

export interface TrainerCallback {
  onTrainBegin?(info: TrainBeginInfo): void | Promise<void>;
  /** After each step, with that step's metrics (means over the player's repeats). */
  onStepEnd?(step: number, metrics: Record<string, number>, progress: StepProgress): void | Promise<void>;
  /** Every `logEvery` steps, at the last step, and after each evaluation. */
  onLog?(entry: HistoryEntry): void | Promise<void>;
  onEval?(step: number, metrics: Record<string, number>): void | Promise<void>;
  /** After a checkpoint was written; `location` is its storage's (a folder path, `indexeddb:…`, `memory`). */
  onCheckpoint?(step: number, location: string): void | Promise<void>;
  onTrainEnd?(result: TrainResult): void | Promise<void>;
  /** Training stopped with an error (e.g. NonFiniteLossError); the error is rethrown after the callbacks ran. */
  onTrainError?(error: unknown): void | Promise<void>;
}
