/**
 * One update of one player on one batch.
 *
 * A gradient player's update: the objective and its gradients with respect to the player's trainable
 * variables only (tf.variableGrads), the global gradient norm, one host read of loss, metrics and norm,
 * a finiteness check, optional clipping, and the optimizer's apply. The check comes before the apply, so
 * a NaN never reaches the weights.
 *
 * Global-norm clipping (Pascanu et al., 2013): with N = √(Σᵢ‖gᵢ‖²), every gᵢ is scaled by
 * c / max(N, c), which keeps the direction of the full gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, GradientPlayer, StepContext, UpdatePlayer } from '../contracts/training.js';
import { NonFiniteLossError, ShapeError } from '../errors.js';

/** Metric a gradient player reports besides its objective's: the global gradient norm before clipping. */
export const GRAD_NORM_METRIC = 'gradNorm';

export interface GradientUpdate {
  player: GradientPlayer;
  /** The player's trainable variables, in the order its optimizer state is kept. */
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  clipNorm?: number;
}

function nonFinite(player: string, context: StepContext, metric: string, value: number): NonFiniteLossError {
  return new NonFiniteLossError(
    `player "${player}" produced ${metric} = ${value} in step ${context.step + 1}; the update was not applied`,
  );
}

/**
 * Runs one gradient update and returns the loss (`loss`), the objective's metrics and `gradNorm`. The
 * host read is asynchronous, so the update runs on backends that cannot read synchronously (WebGPU in
 * Node); the gradients are kept across it and freed after the apply.
 */
export async function gradientUpdate(
  update: GradientUpdate,
  batch: Batch,
  context: StepContext,
): Promise<Record<string, number>> {
  const { metrics, gradients } = await readGradients(update.player, update.variables, batch, context, true);
  try {
    tf.tidy(() => applyUpdate(update, gradients, metrics, context));
    return metrics;
  } finally {
    tf.dispose(present(gradients));
  }
}

/** One shard's share of a data-parallel update: its loss and metrics, and its gradients (kept; the caller disposes them). */
export interface ShardGradients {
  /** `loss` and the objective's metrics on this shard (no `gradNorm`: that is the averaged gradient's). */
  metrics: Record<string, number>;
  /** One per variable, null where the loss does not depend on it. */
  gradients: Array<tf.Tensor | null>;
}

/** The objective's gradients on one shard of a batch, without applying them. */
export function shardGradients(
  player: GradientPlayer,
  variables: tf.Variable[],
  batch: Batch,
  context: StepContext,
): Promise<ShardGradients> {
  return readGradients(player, variables, batch, context, false);
}

/**
 * The objective's gradients (kept for the caller) and, in one host read, its loss, metrics and — with
 * `withNorm` — the global gradient norm.
 */
async function readGradients(
  player: GradientPlayer,
  variables: tf.Variable[],
  batch: Batch,
  context: StepContext,
  withNorm: boolean,
): Promise<ShardGradients> {
  // Metric tensors must outlive variableGrads' internal tidy; they are kept and disposed here.
  const kept: tf.Tensor[] = [];
  let gradients: Array<tf.Tensor | null> = [];
  let names: string[] = [];
  let stacked: tf.Tensor | undefined;
  try {
    tf.tidy(() => {
      const result = objectiveAndGradients(player, variables, batch, context, kept);
      names = result.names;
      gradients = result.gradients.map((g) => g && tf.keep(g));
      const scalars = [tf.reshape(result.loss, []), ...kept.map((m) => tf.reshape(m, []))];
      stacked = tf.keep(tf.stack(withNorm ? [...scalars, globalNorm(gradients)] : scalars));
    });
    const values = await stacked!.data();
    const metrics: Record<string, number> = { loss: values[0] };
    names.forEach((name, i) => {
      metrics[name] = values[i + 1];
    });
    if (withNorm) metrics[GRAD_NORM_METRIC] = values[values.length - 1];
    return { metrics, gradients };
  } catch (error) {
    tf.dispose(present(gradients));
    throw error;
  } finally {
    tf.dispose([...kept, ...(stacked ? [stacked] : [])]);
  }
}

/**
 * Applies gradients a data-parallel step averaged over its shards, with the shards' averaged metrics:
 * the same norm, finiteness check, clipping and apply as {@link gradientUpdate}. Returns the metrics
 * with `gradNorm`.
 */
export async function applyAveragedGradients(
  update: GradientUpdate,
  gradients: Array<tf.Tensor | null>,
  shardMetrics: Record<string, number>,
  context: StepContext,
): Promise<Record<string, number>> {
  const norm = globalNorm(gradients);
  let value: number;
  try {
    value = (await norm.data())[0];
  } finally {
    norm.dispose();
  }
  const metrics = { ...shardMetrics, [GRAD_NORM_METRIC]: value };
  tf.tidy(() => applyUpdate(update, gradients, metrics, context));
  return metrics;
}

function present(tensors: Array<tf.Tensor | null>): tf.Tensor[] {
  return tensors.filter((t): t is tf.Tensor => t !== null);
}

/** Inside a tidy: the objective's loss and its gradients with respect to `variables`; metric tensors go to `kept`. */
function objectiveAndGradients(
  player: GradientPlayer,
  variables: tf.Variable[],
  batch: Batch,
  context: StepContext,
  kept: tf.Tensor[],
): { loss: tf.Scalar; names: string[]; gradients: Array<tf.Tensor | null> } {
  let names: string[] = [];
  const { value: loss, grads } = tf.variableGrads(() => {
    const result = player.objective.compute(batch, context);
    names = Object.keys(result.metrics);
    for (const name of names) {
      const metric = result.metrics[name];
      if (metric.size !== 1) {
        throw new ShapeError(
          `player "${player.name}": metric "${name}" has shape [${metric.shape}], expected a scalar`,
        );
      }
      kept.push(tf.keep(metric));
    }
    return result.loss;
  }, variables);
  return { loss: loss as tf.Scalar, names, gradients: variables.map((v) => grads[v.name] ?? null) };
}

/** √(Σᵢ‖gᵢ‖²) over the gradients present. */
function globalNorm(gradients: Array<tf.Tensor | null>): tf.Scalar {
  return tf.tidy(
    () => tf.sqrt(sumInChunks(present(gradients).map((g) => tf.sum(tf.square(g))))) as tf.Scalar,
  );
}

/**
 * Σ of `terms` by addN over at most 7 at a time: WebGPU binds each input as a storage buffer, and devices
 * allow as few as 8 per shader stage (tfjs-backend-webgpu's AddN does not split a longer list itself).
 */
function sumInChunks(terms: tf.Tensor[]): tf.Tensor {
  let level = terms;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 7) {
      const chunk = level.slice(i, i + 7);
      next.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
    }
    level = next;
  }
  return level[0];
}

/** The finiteness check, clipping, the optimizer's apply and the player's afterUpdate (inside a tidy). */
function applyUpdate(
  update: GradientUpdate,
  gradients: Array<tf.Tensor | null>,
  metrics: Record<string, number>,
  context: StepContext,
): void {
  const { player, variables, optimizer, clipNorm } = update;
  for (const [name, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value)) throw nonFinite(player.name, context, name, value);
  }
  const scale =
    clipNorm !== undefined && metrics[GRAD_NORM_METRIC] > clipNorm ? clipNorm / metrics[GRAD_NORM_METRIC] : 1;
  // A variable the loss does not depend on has no gradient; tfjs optimizers skip null entries.
  optimizer.applyGradients(
    variables.map((v, i) => {
      const g = gradients[i];
      return { name: v.name, tensor: g !== null && scale !== 1 ? tf.mul(g, scale) : (g as tf.Tensor) };
    }),
  );
  player.afterUpdate?.();
}

/** Runs a closed-form update and checks its metrics. */
export function closedFormUpdate(
  player: UpdatePlayer,
  batch: Batch,
  context: StepContext,
): Record<string, number> {
  const metrics = tf.tidy(() => player.update(batch, context));
  for (const [name, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value)) {
      throw new NonFiniteLossError(
        `player "${player.name}" produced ${name} = ${value} in step ${context.step + 1} (closed-form update)`,
      );
    }
  }
  return { ...metrics };
}
