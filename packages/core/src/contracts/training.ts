/**
 * How a model is trained, as data the Trainer runs without knowing the model.
 *
 * A training step is a pass over a schedule of **players**. Each player owns some variables and updates
 * them: a gradient player by minimizing its objective with its optimizer, an update player by a
 * closed-form rule (an EM iteration, PPCA's eigen-decomposition). A VAE has one gradient player; a GAN
 * has a discriminator and a generator, scheduled e.g. `[{ player: 'critic', repeat: 5 }, { player:
 * 'generator', repeat: 1 }]`; CycleGAN and BiGAN have more. Each repeat consumes one batch.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../training/config.js';

/** One batch from a dataset. */
export interface Batch {
  /** Examples, [batch, ...eventShape], float32. */
  x: tf.Tensor;
  /** Integer class labels [batch] (int32) when the dataset has them. */
  labels?: tf.Tensor1D;
  /** One-hot labels [batch, numClasses] when the dataset has them. */
  condition?: tf.Tensor2D;
}

/** What a player's objective knows about the step it runs in. */
export interface StepContext {
  /** Global step, counted from 0; stable across resume. */
  readonly step: number;
  /**
   * A fresh seed for one random op of this step. The sequence depends only on (run seed, step, player,
   * call index), so a resumed run draws exactly the numbers an uninterrupted one would.
   */
  nextSeed(): number;
}

/** Per batch: the scalar loss to minimize and named scalar metrics to log. */
export interface ObjectiveResult {
  loss: tf.Scalar;
  metrics: Record<string, tf.Scalar>;
}

export interface Objective {
  /** Human-readable name, e.g. `elbo` or `non-saturating-generator`. */
  readonly name: string;
  compute(batch: Batch, context: StepContext): ObjectiveResult;
}

/** A player that minimizes an objective by gradient descent on its own variables. */
export interface GradientPlayer {
  readonly kind: 'gradient';
  readonly name: string;
  /** The variables this player updates; gradients flow to these only. */
  variables(): tf.Variable[];
  readonly objective: Objective;
  /** Overrides the run's optimizer for this player (GANs use Adam(2e-4, β1 = 0.5), WGAN RMSProp). */
  readonly optimizer?: OptimizerConfig;
  /** Called after each optimizer update, e.g. WGAN's weight clipping. */
  afterUpdate?(): void;
}

/** A player that updates its variables by a closed-form rule (EM, eigen-decomposition). */
export interface UpdatePlayer {
  readonly kind: 'update';
  readonly name: string;
  /** Runs one update on the batch and returns its metrics as numbers (e.g. `logLikelihood`). */
  update(batch: Batch, context: StepContext): Record<string, number>;
}

export type Player = GradientPlayer | UpdatePlayer;

export interface ScheduleEntry {
  player: string;
  repeat: number;
}

export interface TrainingPlan {
  players: Player[];
  /** Order of updates within one training step. Defaults to each player once, in order. */
  schedule?: ScheduleEntry[];
}
