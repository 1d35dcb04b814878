/**
 * Running a resolved recipe: the model created through the registry for the training set's shape and
 * classes, the batch clipped to the set (full-batch recipes such as EM and closed-form PCA ask for more
 * than a small set holds), and a Trainer over it. Loading the data and storing checkpoints are the
 * caller's (they differ between Node and browsers); everything else every runner shares is here.
 */
import type { Dataset } from '../contracts/data.js';
import type { GenerativeModel } from '../contracts/model.js';
import { ConfigError } from '../errors.js';
import type { GradientWorkerPool } from '../parallel/pool.js';
import { defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import type { TrainResult } from '../training/callbacks.js';
import { Trainer, type TrainerOptions } from '../training/trainer.js';
import type { ResolvedRecipe } from './resolve.js';

export interface RunRecipeOptions
  extends Pick<TrainerOptions, 'callbacks' | 'checkpoints' | 'evaluate' | 'runInfo'> {
  train: Dataset;
  validation?: Dataset;
  registry?: PluginRegistry;
  /** How the caller's users set the learning rate, for the error when a model brings its own (default: `learningRate`). */
  learningRateName?: string;
  /**
   * Where the gradient workers of a data-parallel run (`train.workers` > 1) come from: `pool(threads)`
   * makes them (e.g. `nodeGradientWorkers`); they are returned with the run (still started on the
   * model, e.g. for a sharded evaluation) and the caller closes them (runRecipe does when it fails). With `auto`,
   * the number of workers was chosen for the machine rather than by the user: a model whose plan cannot
   * be split (closed-form players) trains with one instead of failing, and so does a model without
   * convolutions (no 4-D filter among its trainable variables): there every thread repacks the whole
   * weight matrices whatever its share of the batch, and two workers ran slower than one (MLP VAE
   * 0.85×, RealNVP on moons 0.77×), where convolutional models ran 1.5–1.8× (benchmarks/results/speed.md).
   */
  workers?: { pool: (threads: number) => GradientWorkerPool; auto?: boolean };
}

export interface RecipeRun {
  /** The trained model; the caller disposes it. */
  model: GenerativeModel;
  result: TrainResult;
  /** The run's gradient workers, when it was data-parallel: started on `model`; the caller closes them. */
  workers?: GradientWorkerPool;
}

/** Creates the model of `resolved` and trains it on `options.train`. */
export async function runRecipe(resolved: ResolvedRecipe, options: RunRecipeOptions): Promise<RecipeRun> {
  const registry = options.registry ?? defaultRegistry;
  const config = { ...resolved.train, batchSize: Math.min(resolved.train.batchSize, options.train.size) };
  const model = registry.createModel(resolved.model, resolved.config, {
    eventShape: options.train.eventShape,
    numClasses: options.train.numClasses,
    seed: config.seed,
  });
  try {
    if (resolved.learningRate !== undefined) {
      const ownOptimizers = model
        .trainingPlan()
        .players.every((player) => player.kind !== 'gradient' || player.optimizer !== undefined);
      if (ownOptimizers) {
        throw new ConfigError(
          `${options.learningRateName ?? 'learningRate'}: every player of ${resolved.model} has its own optimizer ` +
            'in the model config; set it there, e.g. optimizers.generator.learningRate=1e-4',
        );
      }
    }
    if (options.workers?.auto) {
      const splittable = model.trainingPlan().players.every((p) => p.kind === 'gradient');
      const convolutional = Object.values(model.variables()).some((v) => v.trainable && v.rank === 4);
      config.workers = splittable && convolutional ? Math.min(config.workers, config.batchSize) : 1;
    }
    const pool = config.workers > 1 ? options.workers?.pool(config.workers - 1) : undefined;
    try {
      const trainer = new Trainer({
        model,
        modelRef: { name: resolved.model, plugin: registry.get(resolved.model).plugin },
        train: options.train,
        validation: options.validation,
        config,
        callbacks: options.callbacks,
        checkpoints: options.checkpoints,
        evaluate: options.evaluate,
        runInfo: options.runInfo,
        ...(pool ? { workers: pool } : {}),
      });
      return { model, result: await trainer.run(), ...(pool ? { workers: pool } : {}) };
    } catch (error) {
      await pool?.close();
      throw error;
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
}
