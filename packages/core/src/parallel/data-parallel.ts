/**
 * Synchronous data-parallel gradient updates (as PyTorch's DistributedDataParallel): the batch of B
 * examples is split into N shards of sizes n_k, the main thread and N − 1 workers each compute the
 * gradient g_k of the player's objective on their shard, and the optimizer applies
 *
 *   g = Σ_k (n_k / B) · g_k,
 *
 * which for an objective that is a mean over examples is the full batch's gradient up to float
 * summation order. Metrics are averaged alike. Every replica would apply the same update, so the main
 * thread applies it once and sends the changed variables to the workers before their next shard.
 *
 * Batch statistics are per shard, as in DistributedDataParallel without SyncBatchNorm: each replica
 * normalizes by its shard's statistics, and the running statistics (every non-trainable variable a
 * forward pass moves) become v₀ + Σ_k (v_k − v₀) / N, the mean of the replicas' updates.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GenerativeModel } from '../contracts/model.js';
import type { Batch } from '../contracts/training.js';
import {
  applyAveragedGradients,
  type GradientUpdate,
  type ShardGradients,
  shardGradients,
} from '../training/player-step.js';
import { toHostBatch } from './host-batch.js';
import type { LayoutEntry, VariableLayout } from './layout.js';
import type { GradientWorkerPool } from './pool.js';
import { type HostBatch, type ShardReply, shardContext, shardSizes } from './protocol.js';

export class DataParallelUpdates {
  /** Shards per batch: the workers' and the main thread's. */
  readonly shards: number;
  private readonly variables: Map<string, tf.Variable>;
  private readonly entries: LayoutEntry[];
  private readonly byKey: Map<string, LayoutEntry>;
  private readonly keyOf: Map<string, string>;
  /** The values the workers last received (the pool's shared buffer, or a copy here). */
  private readonly published: Float32Array;
  /** Variables changed on the main thread since the workers last received them. */
  private readonly dirty: Set<string>;

  constructor(
    private readonly pool: GradientWorkerPool,
    model: GenerativeModel,
    layout: VariableLayout,
    private readonly runSeed: number,
  ) {
    this.shards = pool.threads + 1;
    this.variables = new Map(Object.entries(model.variables()));
    this.entries = layout.entries;
    this.byKey = new Map(layout.entries.map((e) => [e.key, e]));
    this.keyOf = new Map([...this.variables].map(([key, v]) => [v.name, key]));
    this.published = pool.params ?? new Float32Array(layout.size);
    this.dirty = new Set(this.variables.keys());
  }

  /** One update of `update.player` on `batch`, split over the main thread and the workers. */
  async update(update: GradientUpdate, batch: Batch, step: number): Promise<Record<string, number>> {
    const { player } = update;
    const size = batch.x.shape[0];
    const sizes = shardSizes(size, this.shards);
    const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
    const reload = await this.publish();
    const host = await toHostBatch(batch);
    const replies = sizes.slice(1).map((n, w) => {
      const shard = w + 1;
      const { batch: part, transfer } = sliceHost(host, starts[shard], n);
      const values = this.pool.params ? undefined : this.valuesOf(reload);
      return this.pool.shard(
        w,
        {
          player: player.name,
          runSeed: this.runSeed,
          step,
          shard,
          reload,
          batch: part,
          ...(values ? { values } : {}),
        },
        transfer,
      );
    });
    // The main thread computes shard 0 while the workers compute theirs.
    const part: Batch = {
      x: tf.slice(batch.x, 0, sizes[0]),
      ...(batch.labels ? { labels: tf.slice(batch.labels, 0, sizes[0]) } : {}),
      ...(batch.condition ? { condition: tf.slice(batch.condition, 0, sizes[0]) } : {}),
    };
    let mine: ShardGradients;
    try {
      mine = await shardGradients(
        player,
        update.variables,
        part,
        shardContext(this.runSeed, step, player.name, 0),
      );
    } catch (error) {
      await Promise.allSettled(replies);
      throw error;
    } finally {
      tf.dispose([
        part.x,
        ...(part.labels ? [part.labels] : []),
        ...(part.condition ? [part.condition] : []),
      ]);
    }
    const own = mine.gradients.filter((g): g is tf.Tensor => g !== null);
    let answers: ShardReply[];
    try {
      answers = await Promise.all(replies);
    } catch (error) {
      tf.dispose(own);
      throw error;
    }
    const weights = sizes.map((n) => n / size);
    const metrics: Record<string, number> = {};
    for (const name of Object.keys(mine.metrics)) {
      metrics[name] = weights[0] * mine.metrics[name];
      answers.forEach((answer, w) => {
        metrics[name] += weights[w + 1] * (answer.metrics[name] ?? Number.NaN);
      });
    }
    const gradients = update.variables.map((variable, i) => {
      const key = this.keyOf.get(variable.name)!;
      const entry = this.byKey.get(key)!;
      const g0 = mine.gradients[i];
      const sources = answers.flatMap((answer, w) => (answer.gradients.includes(key) ? [w] : []));
      if (g0 === null && sources.length === 0) return null;
      return tf.tidy(() => {
        const terms: tf.Tensor[] = g0 === null ? [] : [tf.mul(g0, weights[0])];
        for (const w of sources) {
          const values = this.received(w, answers[w], entry);
          terms.push(tf.mul(tf.tensor(values, entry.shape, entry.dtype), weights[w + 1]));
        }
        return tf.addN(terms);
      });
    });
    tf.dispose(own);
    try {
      const result = await applyAveragedGradients(update, gradients, metrics, { step, nextSeed: () => 0 });
      for (const variable of update.variables) this.dirty.add(this.keyOf.get(variable.name)!);
      await this.averageState(answers);
      return result;
    } finally {
      tf.dispose(gradients.filter((g): g is tf.Tensor => g !== null));
    }
  }

  /** Writes the changed variables where the workers read them; returns their keys. */
  private async publish(): Promise<string[]> {
    const keys = [...this.dirty];
    for (const key of keys) {
      const entry = this.byKey.get(key)!;
      this.published.set((await this.variables.get(key)!.data()) as Float32Array, entry.offset);
    }
    this.dirty.clear();
    return keys;
  }

  private valuesOf(keys: string[]): Record<string, Float32Array> {
    const values: Record<string, Float32Array> = {};
    for (const key of keys) {
      const entry = this.byKey.get(key)!;
      values[key] = this.published.slice(entry.offset, entry.offset + entry.size);
    }
    return values;
  }

  /** What worker `w` returned for `entry`, copied out of shared memory (which its next shard overwrites). */
  private received(w: number, answer: ShardReply, entry: LayoutEntry): Float32Array {
    const shared = this.pool.results(w);
    if (shared) return shared.slice(entry.offset, entry.offset + entry.size);
    const values = answer.values?.[entry.key];
    if (values === undefined) throw new Error(`gradient worker ${w + 1} sent no values for "${entry.key}"`);
    return values;
  }

  /** The running statistics after the step: v₀ + Σ_k (v_k − v₀) / N over the replicas that moved them. */
  private async averageState(answers: ShardReply[]): Promise<void> {
    for (const entry of this.entries) {
      if (entry.trainable) continue;
      const variable = this.variables.get(entry.key)!;
      const before = this.published.subarray(entry.offset, entry.offset + entry.size);
      const own = Float32Array.from((await variable.data()) as Float32Array);
      const moved: Float32Array[] = [];
      if (own.some((v, i) => !Object.is(v, before[i]))) moved.push(own);
      answers.forEach((answer, w) => {
        if (answer.state.includes(entry.key)) moved.push(this.received(w, answer, entry));
      });
      if (moved.length === 0) continue;
      const mean = Float32Array.from(before);
      for (const values of moved) {
        for (let i = 0; i < mean.length; i++) mean[i] += (values[i] - before[i]) / this.shards;
      }
      tf.tidy(() => variable.assign(tf.tensor(mean, entry.shape, entry.dtype)));
      this.dirty.add(entry.key);
    }
  }
}

/** Rows [start, start + n) of a host batch, copied into buffers of their own (to be transferred). */
function sliceHost(host: HostBatch, start: number, n: number): { batch: HostBatch; transfer: ArrayBuffer[] } {
  const rows = <T extends Float32Array | Int32Array>(values: T, shape: number[]): T => {
    const width = shape.slice(1).reduce((a, b) => a * b, 1);
    return values.slice(start * width, (start + n) * width) as T;
  };
  const x = rows(host.x, host.xShape);
  const batch: HostBatch = { x, xShape: [n, ...host.xShape.slice(1)] };
  const transfer: ArrayBuffer[] = [x.buffer as ArrayBuffer];
  if (host.labels) {
    batch.labels = host.labels.slice(start, start + n);
    transfer.push(batch.labels.buffer as ArrayBuffer);
  }
  if (host.condition && host.conditionShape) {
    batch.condition = rows(host.condition, host.conditionShape);
    batch.conditionShape = [n, ...host.conditionShape.slice(1)];
    transfer.push(batch.condition.buffer as ArrayBuffer);
  }
  return { batch, transfer };
}
