/**
 * The Trainer runs a model's training plan: for each step, each schedule entry's player `repeat` times,
 * one batch per repeat; then logging, evaluation and checkpoints on their cadences.
 *
 * Everything random is derived from the run seed, so a run is reproducible and a resumed run continues
 * exactly: the data order and per-batch transform seeds come from the batch stream's position (see
 * batch-stream.ts), `StepContext.nextSeed()` returns deriveSeed(seed, step, player, call) with the call
 * counted per player within a step, the learning rate is a function of the step, and checkpoints hold
 * the model variables, every optimizer's state, the stream position and the metrics since the last log
 * line (so a resumed run logs the very lines an uninterrupted one would).
 *
 * Checkpoints are written every `checkpointEvery` steps, once `checkpointSeconds` have passed since the
 * last one, and at the end. A checkpoint must be one to go back to: the loss check of each update only
 * sees the parameters *before* it, so before writing, the Trainer checks that every weight and optimizer
 * value is finite and that each gradient player's objective is finite on the next batch at the new
 * parameters (the very batch the next step would train on; batch-norm statistics the probe moves are put
 * back). A run that diverges keeps its last good checkpoint.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nonFiniteCount } from '../checkpoint/binary.js';
import { type HostTensor, readTensor, sameShape } from '../checkpoint/host-tensor.js';
import { createModelFromManifest, loadCheckpoint, restoreVariables } from '../checkpoint/load.js';
import { RNG_SCHEME } from '../checkpoint/manifest.js';
import { type OptimizerStateEntry, saveCheckpoint } from '../checkpoint/save.js';
import type { CheckpointStorage } from '../checkpoint/storage.js';
import type { Dataset } from '../contracts/data.js';
import { type GenerativeModel, isConditionalModel } from '../contracts/model.js';
import type { GradientPlayer, Player, ScheduleEntry, StepContext } from '../contracts/training.js';
import { ConfigError, NonFiniteLossError } from '../errors.js';
import { DataParallelUpdates } from '../parallel/data-parallel.js';
import { layoutOf } from '../parallel/layout.js';
import type { GradientWorkerPool } from '../parallel/pool.js';
import type { ModelDescription } from '../parallel/protocol.js';
import { deriveSeed } from '../random/seeds.js';
import { creationContext, defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import { BatchStream } from './batch-stream.js';
import type { HistoryEntry, StepProgress, TrainerCallback, TrainResult } from './callbacks.js';
import type { OptimizerConfig, TrainConfig } from './config.js';
import { MetricsWindow } from './metrics-window.js';
import {
  assertOptimizerLayout,
  type KeyedVariable,
  type OptimizerKind,
  optimizerKind,
  restoreOptimizer,
  snapshotOptimizer,
} from './optimizer-state.js';
import { createOptimizer, setOptimizerLearningRate } from './optimizers.js';
import { resolvePlan } from './plan.js';
import { closedFormUpdate, gradientUpdate } from './player-step.js';
import { learningRateFactor } from './schedules.js';
import { validateObjectives } from './validation.js';

/** Which registered model this is, so a checkpoint can rebuild it. */
export interface ModelRef {
  name: string;
  plugin: { name: string; version: string };
  /** Seed the model was created with (default: the one the registry created it with, else the run seed). */
  seed?: number;
  /** Classes the model was created with (default: the model's, else the registry's record, else the training set's). */
  numClasses?: number;
}

export interface TrainerOptions {
  model: GenerativeModel;
  modelRef: ModelRef;
  train: Dataset;
  /**
   * Held-out data. Without `evaluate`, evaluation reports each gradient player's objective on it
   * (`val/loss`, …); with `evaluate`, it is not used by the Trainer.
   */
  validation?: Dataset;
  /** Parsed (`trainConfigSchema.parse`) training config. */
  config: TrainConfig;
  callbacks?: TrainerCallback[];
  /**
   * Where checkpoints go (every `checkpointEvery` steps and at the end); none when unset. In Node:
   * `checkpointDirectory(dir)` of `@genzoo/core/node`; in a browser: `indexedDbCheckpointStorage(…)` or
   * `memoryCheckpointStorage()`.
   */
  checkpoints?: CheckpointStorage;
  /** Evaluation run every `evalEvery` steps and at the end. */
  evaluate?: (model: GenerativeModel) => Promise<Record<string, number>>;
  /** Free JSON stored in the checkpoint manifest, e.g. the dataset name and options. */
  runInfo?: Record<string, unknown>;
  /**
   * The gradient workers of a data-parallel run (`config.workers` > 1): a pool of `workers − 1`
   * threads (`nodeGradientWorkers` of `@genzoo/core/node`, or `browserGradientWorkers`). The Trainer
   * starts them on its model; the caller closes the pool.
   */
  workers?: GradientWorkerPool;
}

export interface ResumeOptions {
  /** Registry that knows the checkpoint's model (default: the default registry). */
  registry?: PluginRegistry;
  /** The same training set (same examples, same order) the checkpoint was trained on. */
  train: Dataset;
  validation?: Dataset;
  callbacks?: TrainerCallback[];
  evaluate?: (model: GenerativeModel) => Promise<Record<string, number>>;
  /** New total step budget (replaces the checkpoint's steps or epochs). */
  steps?: number;
  /** Where to keep checkpointing (default: the storage resumed from). */
  checkpoints?: CheckpointStorage;
  /** Receives non-fatal problems (plugin version changed, interrupted save); default: console.warn. */
  onWarning?: (message: string) => void;
  /** Gradient workers, when the checkpoint's run was data-parallel (see TrainerOptions.workers). */
  workers?: GradientWorkerPool;
}

interface GradientSlot {
  player: GradientPlayer;
  config: OptimizerConfig;
  kind: OptimizerKind;
  optimizer: tf.Optimizer;
  variables: KeyedVariable[];
}

/** What a resumed Trainer restores when it starts running. */
interface ResumeState {
  /** Training seconds before this run. */
  seconds: number;
  optimizer: OptimizerStateEntry[];
}

export class Trainer {
  readonly model: GenerativeModel;
  readonly config: TrainConfig;
  /** Step budget: the config's steps, or epochs converted to steps. */
  readonly totalSteps: number;
  private readonly modelRef: ModelRef;
  private readonly train: Dataset;
  private readonly validation?: Dataset;
  private readonly callbacks: TrainerCallback[];
  private readonly checkpoints?: CheckpointStorage;
  private readonly evaluate?: (model: GenerativeModel) => Promise<Record<string, number>>;
  private readonly runInfo: Record<string, unknown>;
  private readonly workers?: GradientWorkerPool;
  private parallel: DataParallelUpdates | undefined;
  private readonly players: Map<string, Player>;
  private readonly schedule: ScheduleEntry[];
  private readonly batchesPerStep: number;
  private stream: BatchStream;
  private step = 0;
  private resumeState: ResumeState | undefined;
  private slots: GradientSlot[] = [];
  private started = false;
  private runStart = 0;
  /** Seconds of this run by activity (RunTiming, less `other`, which is what remains of the total). */
  private readonly timing = { setup: 0, steps: 0, evaluation: 0, checkpoints: 0 };
  private lastMetrics: Record<string, number> = {};
  private evalMetrics: Record<string, number> = {};
  private lastCheckpointStep: number | undefined;
  /** When the last checkpoint was written (or this run started), for `checkpointSeconds`. */
  private lastCheckpointTime = 0;
  /** Metrics of the steps since the last log line. */
  private window = new MetricsWindow();

  constructor(options: TrainerOptions) {
    const { model, config, train } = options;
    this.model = model;
    this.config = config;
    this.modelRef = options.modelRef;
    this.train = train;
    this.validation = options.validation;
    this.callbacks = options.callbacks ?? [];
    this.checkpoints = options.checkpoints;
    this.evaluate = options.evaluate;
    this.runInfo = options.runInfo ?? {};
    this.workers = options.workers;
    if (!sameShape(train.eventShape, model.eventShape)) {
      throw new ConfigError(
        `training set "${train.name}" has examples of shape [${train.eventShape}], the model expects [${model.eventShape}]`,
      );
    }
    const plan = resolvePlan(model.trainingPlan(), model.name);
    this.players = plan.players;
    this.schedule = plan.schedule;
    this.batchesPerStep = plan.batchesPerStep;
    this.assertParallelizable();
    this.stream = new BatchStream(train, config.batchSize, config.seed);
    if (config.steps !== undefined) {
      this.totalSteps = config.steps;
    } else if (config.epochs !== undefined) {
      this.totalSteps = Math.ceil((config.epochs * this.stream.batchesPerEpoch) / this.batchesPerStep);
    } else {
      throw new ConfigError('training config: give steps or epochs');
    }
  }

  /**
   * A Trainer that continues the checkpoint in `storage` exactly where it stopped: the model is rebuilt
   * via the registry and restored, and `run()` restores the optimizers and the data position.
   */
  static async resume(storage: CheckpointStorage, options: ResumeOptions): Promise<Trainer> {
    const registry = options.registry ?? defaultRegistry;
    const onWarning = options.onWarning ?? ((message: string) => console.warn(`warning: ${message}`));
    const checkpoint = await loadCheckpoint(storage);
    for (const warning of checkpoint.warnings) onWarning(warning);
    const { manifest } = checkpoint;
    const { state } = manifest;
    if (options.train.size !== state.trainExamples) {
      throw new ConfigError(
        `the training set "${options.train.name}" has ${options.train.size} examples, the checkpoint was trained on ` +
          `${state.trainExamples}; resuming needs the same data to continue the same order`,
      );
    }
    let config = manifest.train;
    if (options.steps !== undefined) {
      if (!Number.isInteger(options.steps) || options.steps < state.step) {
        throw new ConfigError(
          `steps: expected an integer ≥ the checkpoint's step ${state.step} (the new total), got ${options.steps}`,
        );
      }
      const { epochs: _, ...rest } = config;
      config = { ...rest, steps: options.steps };
    }
    const model = createModelFromManifest(manifest, registry, onWarning);
    try {
      restoreVariables(model.variables(), checkpoint.weights, checkpoint.location);
      const trainer = new Trainer({
        model,
        modelRef: {
          name: manifest.model.name,
          plugin: registry.get(manifest.model.name).plugin,
          seed: manifest.model.seed,
          numClasses: manifest.model.numClasses,
        },
        train: options.train,
        validation: options.validation,
        config,
        callbacks: options.callbacks,
        checkpoints: options.checkpoints ?? storage,
        evaluate: options.evaluate,
        runInfo: manifest.run,
        workers: options.workers,
      });
      const position = { epoch: state.epoch, batchInEpoch: state.batchInEpoch, batchIndex: state.batchIndex };
      trainer.stream = new BatchStream(options.train, config.batchSize, config.seed, position);
      trainer.step = state.step;
      trainer.lastCheckpointStep = state.step;
      trainer.resumeState = { seconds: state.seconds, optimizer: checkpoint.optimizer };
      trainer.evalMetrics = nonNull(manifest.metrics.eval);
      trainer.lastMetrics = nonNull(manifest.metrics.train);
      if (state.logWindow) trainer.window = MetricsWindow.restore(state.logWindow);
      return trainer;
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Completed steps. */
  get currentStep(): number {
    return this.step;
  }

  /** Trains until the step budget is spent. Can be called once per Trainer. */
  async run(): Promise<TrainResult> {
    if (this.started)
      throw new Error('Trainer.run() can only be called once; create a new Trainer to train again');
    this.started = true;
    this.runStart = performance.now();
    this.lastCheckpointTime = this.runStart;
    const startStep = this.step;
    const startBatch = this.stream.current.batchIndex;
    const history: HistoryEntry[] = [];
    try {
      await this.timed('setup', async () => {
        if (!this.resumeState && this.step === 0) this.initializeModel();
        this.slots = this.createGradientSlots();
        if (this.workers && this.config.workers > 1) {
          await this.workers.start(
            this.describeModel(),
            layoutOf(this.model.variables()),
            tf.engine().backendName,
          );
          this.parallel = new DataParallelUpdates(
            this.workers,
            this.model,
            layoutOf(this.model.variables()),
            this.config.seed,
          );
        }
        await this.emit((c) =>
          c.onTrainBegin?.({
            startStep,
            totalSteps: this.totalSteps,
            resumed: this.resumeState !== undefined,
            batchSize: this.config.batchSize,
            batchesPerStep: this.batchesPerStep,
            batchesPerEpoch: this.stream.batchesPerEpoch,
            players: [...this.players.keys()],
          }),
        );
      });
      const { window } = this;
      while (this.step < this.totalSteps) {
        const stepStart = performance.now();
        const lr = this.setLearningRates(this.step);
        const metrics = await this.runStep(this.step);
        this.timing.steps += (performance.now() - stepStart) / 1000;
        this.step++;
        this.lastMetrics = metrics;
        window.add(metrics);
        const progress = this.progress(lr, startBatch);
        await this.emit((c) => c.onStepEnd?.(this.step, metrics, progress));
        const last = this.step === this.totalSteps;
        if (this.step % this.config.logEvery === 0 || last) {
          const entry: HistoryEntry = {
            kind: 'train',
            step: this.step,
            epoch: progress.epoch,
            seconds: progress.seconds,
            lr,
            metrics: window.takeMeans(),
          };
          history.push(entry);
          await this.emit((c) => c.onLog?.(entry));
        }
        if (!last && every(this.step, this.config.evalEvery))
          await this.timed('evaluation', () => this.runEvaluation(history));
        if (!last && this.checkpointDue()) await this.timed('checkpoints', () => this.saveCheckpoint());
      }
      // A run resumed from its final checkpoint (killed while finishing up) has nothing left to train:
      // that checkpoint already holds the final evaluation, which the log has too.
      if (this.step > startStep || this.resumeState === undefined) {
        await this.timed('evaluation', () => this.runEvaluation(history));
        await this.timed('checkpoints', () => this.saveCheckpoint());
      }
      const seconds = this.runSeconds();
      const examples = (this.stream.current.batchIndex - startBatch) * this.config.batchSize;
      const { setup, steps, evaluation, checkpoints } = this.timing;
      const result: TrainResult = {
        steps: this.step,
        epochs: this.stream.epochs,
        seconds,
        examplesPerSecond: seconds > 0 ? examples / seconds : 0,
        trainExamplesPerSecond: steps > 0 ? examples / steps : 0,
        workers: this.config.workers,
        timing: {
          setup,
          steps,
          evaluation,
          checkpoints,
          other: Math.max(0, seconds - setup - steps - evaluation - checkpoints),
        },
        lastMetrics: this.lastMetrics,
        evalMetrics: this.evalMetrics,
        history,
      };
      await this.emit((c) => c.onTrainEnd?.(result));
      return result;
    } catch (error) {
      const reported = this.explain(error);
      for (const callback of this.callbacks) await callback.onTrainError?.(reported);
      throw reported;
    } finally {
      for (const slot of this.slots) slot.optimizer.dispose();
      this.slots = [];
    }
  }

  private async emit(call: (callback: TrainerCallback) => void | Promise<void>): Promise<void> {
    for (const callback of this.callbacks) await call(callback);
  }

  /** Data-dependent initialization on the first training batch (which step 0 then also trains on). */
  private initializeModel(): void {
    const { model } = this;
    if (!model.initialize) return;
    const batch = this.stream.peek();
    try {
      tf.tidy(() => model.initialize?.(batch.x, deriveSeed(this.config.seed, 'initialize')));
    } finally {
      disposeBatch(batch);
    }
  }

  /** One optimizer per gradient player over its trainable variables, restored when resuming. */
  private createGradientSlots(): GradientSlot[] {
    const keyOf = new Map(Object.entries(this.model.variables()).map(([key, v]) => [v.name, key]));
    const saved = new Map((this.resumeState?.optimizer ?? []).map((entry) => [entry.player, entry]));
    const slots: GradientSlot[] = [];
    try {
      for (const player of this.players.values()) {
        if (player.kind !== 'gradient') continue;
        const variables = player
          .variables()
          .filter((v) => v.trainable)
          .map((variable) => {
            const key = keyOf.get(variable.name);
            if (key === undefined) {
              throw new ConfigError(
                `player "${player.name}" updates variable ${variable.name}, which is not among the model's variables()`,
              );
            }
            return { key, variable };
          });
        if (variables.length === 0)
          throw new ConfigError(`player "${player.name}" has no trainable variables`);
        const config = player.optimizer ?? this.config.optimizer;
        const kind = optimizerKind(config);
        const optimizer = createOptimizer(config);
        slots.push({ player, config, kind, optimizer, variables });
        assertOptimizerLayout(optimizer, kind);
        const state = saved.get(player.name);
        if (this.resumeState && !state) {
          throw new ConfigError(`the checkpoint has no optimizer state for player "${player.name}"`);
        }
        if (state) {
          if (optimizerKind(state.config) !== kind) {
            throw new ConfigError(
              `player "${player.name}": the checkpoint's optimizer is ${state.config.name}, the run's is ${config.name}`,
            );
          }
          restoreOptimizer(optimizer, kind, variables, state, `optimizer state of player "${player.name}"`);
        }
      }
    } catch (error) {
      for (const slot of slots) slot.optimizer.dispose();
      throw error;
    }
    return slots;
  }

  private setLearningRates(step: number): Record<string, number> {
    const factor = learningRateFactor(this.config.schedule, step);
    const lr: Record<string, number> = {};
    for (const slot of this.slots) {
      lr[slot.player.name] = slot.config.learningRate * factor;
      setOptimizerLearningRate(slot.optimizer, slot.config.name, lr[slot.player.name]);
    }
    return lr;
  }

  /** Runs the schedule once; returns each player's metrics averaged over its repeats. */
  private async runStep(step: number): Promise<Record<string, number>> {
    const calls = new Map<string, number>();
    const window = new MetricsWindow();
    for (const entry of this.schedule) {
      const player = this.players.get(entry.player)!;
      const context: StepContext = {
        step,
        nextSeed: () => {
          const call = calls.get(player.name) ?? 0;
          calls.set(player.name, call + 1);
          return deriveSeed(this.config.seed, step, player.name, call);
        },
      };
      const slot = this.slots.find((s) => s.player === player);
      for (let r = 0; r < entry.repeat; r++) {
        const batch = this.stream.next();
        try {
          const update = slot && {
            player: slot.player,
            variables: slot.variables.map((v) => v.variable),
            optimizer: slot.optimizer,
            clipNorm: this.config.clipNorm,
          };
          const metrics = update
            ? this.parallel
              ? await this.parallel.update(update, batch, step)
              : await gradientUpdate(update, batch, context)
            : closedFormUpdate(player as Exclude<Player, GradientPlayer>, batch, context);
          window.add(
            Object.fromEntries(Object.entries(metrics).map(([k, v]) => [this.metricName(player.name, k), v])),
          );
        } finally {
          disposeBatch(batch);
        }
      }
    }
    return window.takeMeans();
  }

  /** `loss` for a single-player plan, `critic/loss` when there are several players. */
  private metricName(player: string, metric: string): string {
    return this.players.size > 1 ? `${player}/${metric}` : metric;
  }

  /** Runs `work`, adding its wall-clock seconds to `timing[activity]`. */
  private async timed<T>(
    activity: 'setup' | 'evaluation' | 'checkpoints',
    work: () => Promise<T>,
  ): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.timing[activity] += (performance.now() - start) / 1000;
    }
  }

  private runSeconds(): number {
    return (performance.now() - this.runStart) / 1000;
  }

  private progress(lr: Record<string, number>, startBatch: number): StepProgress {
    const seconds = this.runSeconds();
    const examples = (this.stream.current.batchIndex - startBatch) * this.config.batchSize;
    return {
      totalSteps: this.totalSteps,
      epoch: this.stream.epochs,
      seconds,
      examplesPerSecond: seconds > 0 ? examples / seconds : 0,
      lr,
    };
  }

  private async runEvaluation(history: HistoryEntry[]): Promise<void> {
    let metrics: Record<string, number>;
    if (this.evaluate) {
      metrics = await this.evaluate(this.model);
    } else if (this.validation) {
      const gradientPlayers = [...this.players.values()].filter(
        (p): p is GradientPlayer => p.kind === 'gradient',
      );
      const validation = this.validation;
      metrics = await this.keepingState(() =>
        validateObjectives(gradientPlayers, validation, {
          batchSize: this.config.batchSize,
          maxBatches: this.config.evalBatches,
          seed: this.config.seed,
          step: Math.max(0, this.step - 1),
          metricName: (player, metric) => `val/${this.metricName(player, metric)}`,
        }),
      );
    } else {
      return;
    }
    this.evalMetrics = metrics;
    const entry: HistoryEntry = {
      kind: 'eval',
      step: this.step,
      epoch: this.stream.epochs,
      seconds: this.runSeconds(),
      metrics,
    };
    history.push(entry);
    await this.emit((c) => c.onEval?.(this.step, metrics));
    await this.emit((c) => c.onLog?.(entry));
  }

  private checkpointDue(): boolean {
    const { checkpointEvery, checkpointSeconds } = this.config;
    if (every(this.step, checkpointEvery)) return true;
    return checkpointSeconds > 0 && (performance.now() - this.lastCheckpointTime) / 1000 >= checkpointSeconds;
  }

  /** What rebuilds this model: the registry name, config, event shape, classes and seed (checkpoints, workers). */
  private describeModel(): ModelDescription {
    const { model, modelRef } = this;
    if (typeof model.config !== 'object' || model.config === null || Array.isArray(model.config)) {
      throw new ConfigError(`model "${model.name}": config must be a plain JSON object to be checkpointed`);
    }
    const created = creationContext(model);
    return {
      name: modelRef.name,
      config: model.config as Record<string, unknown>,
      eventShape: [...model.eventShape],
      numClasses:
        modelRef.numClasses ??
        (isConditionalModel(model) ? model.numClasses : (created?.numClasses ?? this.train.numClasses)),
      seed: modelRef.seed ?? created?.seed ?? this.config.seed,
    };
  }

  /** A data-parallel run needs its pool, and a plan of gradient players only. */
  private assertParallelizable(): void {
    const { workers } = this.config;
    if (workers === 1) return;
    if (this.workers === undefined) {
      throw new ConfigError(
        `training config: workers = ${workers} needs a pool of ${workers - 1} gradient worker thread(s) ` +
          '(TrainerOptions.workers: nodeGradientWorkers of @genzoo/core/node, or browserGradientWorkers)',
      );
    }
    if (this.workers.threads !== workers - 1) {
      throw new ConfigError(
        `training config: workers = ${workers} splits each batch ${workers} ways, so it needs ${workers - 1} ` +
          `worker thread(s) besides this one; the pool has ${this.workers.threads}`,
      );
    }
    const closedForm = [...this.players.values()].filter((p) => p.kind === 'update').map((p) => p.name);
    if (closedForm.length > 0) {
      throw new ConfigError(
        `model "${this.model.name}": player(s) ${closedForm.join(', ')} update by a closed-form rule on the whole batch, ` +
          'which data-parallel training cannot split; train with workers = 1',
      );
    }
  }

  private async saveCheckpoint(): Promise<void> {
    const storage = this.checkpoints;
    if (storage === undefined) return;
    const { model, modelRef } = this;
    const weights: Record<string, HostTensor> = {};
    for (const [key, variable] of Object.entries(model.variables()))
      weights[key] = await readTensor(key, variable);
    this.assertFinite(weights, 'model variable');
    const optimizer: OptimizerStateEntry[] = [];
    for (const slot of this.slots) {
      const snapshot = await snapshotOptimizer(slot.optimizer, slot.kind, slot.variables);
      this.assertFinite(snapshot.tensors, `optimizer state of player "${slot.player.name}"`);
      optimizer.push({ player: slot.player.name, config: slot.config, ...snapshot });
    }
    await this.probeNextBatch();
    const position = this.stream.current;
    await saveCheckpoint(storage, {
      model: {
        ...this.describeModel(),
        plugin: modelRef.plugin.name,
        pluginVersion: modelRef.plugin.version,
      },
      train: this.config,
      state: {
        step: this.step,
        epoch: position.epoch,
        batchInEpoch: position.batchInEpoch,
        batchIndex: position.batchIndex,
        trainExamples: this.train.size,
        seconds: (this.resumeState?.seconds ?? 0) + this.runSeconds(),
        rng: { seed: this.config.seed, scheme: RNG_SCHEME },
        logWindow: this.window.state(),
      },
      metrics: { train: this.lastMetrics, eval: this.evalMetrics },
      run: this.runInfo,
      weights,
      optimizer,
    });
    this.lastCheckpointStep = this.step;
    this.lastCheckpointTime = performance.now();
    await this.emit((c) => c.onCheckpoint?.(this.step, storage.location));
  }

  /** Refuses to checkpoint parameters (or optimizer state) with a NaN or an infinity. */
  private assertFinite(tensors: Record<string, HostTensor>, what: string): void {
    for (const [key, tensor] of Object.entries(tensors)) {
      const bad = nonFiniteCount(tensor.values);
      if (bad > 0) {
        throw new NonFiniteLossError(
          `after step ${this.step}, ${what} "${key}" has ${bad} non-finite value(s) of ${tensor.values.length}; no checkpoint was written`,
        );
      }
    }
  }

  /**
   * Each gradient player's objective at the current parameters on the batch the next step would train
   * on: a diverged model can still have finite weights (|w| in the thousands) whose next loss is NaN.
   */
  private async probeNextBatch(): Promise<void> {
    const players = [...this.players.values()].filter((p): p is GradientPlayer => p.kind === 'gradient');
    if (players.length === 0) return;
    const batch = this.stream.peek();
    try {
      await this.keepingState(async () => {
        for (const player of players) {
          let call = 0;
          const context: StepContext = {
            step: this.step,
            nextSeed: () => deriveSeed(this.config.seed, 'checkpoint-probe', this.step, player.name, call++),
          };
          const probe = tf.tidy(() => player.objective.compute(batch, context).loss);
          const loss = (await probe.data().finally(() => probe.dispose()))[0];
          if (!Number.isFinite(loss)) {
            throw new NonFiniteLossError(
              `after step ${this.step}, player "${player.name}" gives loss = ${loss} on the next batch: the parameters have diverged; no checkpoint was written`,
            );
          }
        }
      });
    } finally {
      disposeBatch(batch);
    }
  }

  /**
   * Runs objectives outside training (the checkpoint probe, validation) without side effects: they run
   * as in training, so batch-norm layers move their running statistics; every non-trainable variable is
   * put back afterwards, so when and how often they run never changes the training itself.
   */
  private async keepingState<T>(run: () => Promise<T>): Promise<T> {
    const state = Object.values(this.model.variables()).filter((v) => !v.trainable);
    const saved = state.map((v) => tf.clone(v));
    try {
      return await run();
    } finally {
      state.forEach((v, i) => {
        v.assign(saved[i]);
      });
      tf.dispose(saved);
    }
  }

  /** Adds where the last good checkpoint is to a non-finite-loss error. */
  private explain(error: unknown): unknown {
    if (!(error instanceof NonFiniteLossError) || this.checkpoints === undefined) return error;
    const where =
      this.lastCheckpointStep === undefined
        ? 'no checkpoint was written'
        : `the checkpoint in ${this.checkpoints.location} (step ${this.lastCheckpointStep}) was left as it was`;
    return new NonFiniteLossError(`${error.message}; ${where}`, { cause: error });
  }
}

function every(step: number, period: number): boolean {
  return period > 0 && step % period === 0;
}

function nonNull(metrics: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v ?? Number.NaN]));
}

function disposeBatch(batch: { x: tf.Tensor; labels?: tf.Tensor; condition?: tf.Tensor }): void {
  batch.x.dispose();
  batch.labels?.dispose();
  batch.condition?.dispose();
}
