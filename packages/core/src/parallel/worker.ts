/**
 * The worker side of data-parallel training: builds the model the main thread describes and computes
 * one player's gradients on the shards it is sent. Platform-neutral: a Node worker thread serves on its
 * `parentPort`, a Web Worker on `self` (see src/parallel-worker.ts and the README).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GenerativeModel } from '../contracts/model.js';
import type { GradientPlayer } from '../contracts/training.js';
import { ConfigError } from '../errors.js';
import { defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import { shardGradients } from '../training/player-step.js';
import { fromHostBatch } from './host-batch.js';
import { assertSameLayout, type LayoutEntry, layoutOf, type VariableLayout } from './layout.js';
import {
  type ErrorReply,
  type FromWorker,
  type InitMessage,
  type ShardMessage,
  type ShardReply,
  shardContext,
  type TaskMessage,
  type ToWorker,
} from './protocol.js';

/** What a worker listens and answers on: a Web Worker's `self`, or a Node worker thread's `parentPort`. */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

interface WorkerState {
  model: GenerativeModel;
  layout: VariableLayout;
  variables: Map<string, tf.Variable>;
  entries: Map<string, LayoutEntry>;
  players: Map<string, GradientPlayer>;
  /** The values last loaded from the main thread; moved state is what differs from them. */
  loaded: Float32Array;
  params?: Float32Array;
  results?: Float32Array;
}

/** Answers the main thread's messages on `scope` until it is told to close. */
export function serveGradientShards(scope: WorkerScope, registry: PluginRegistry = defaultRegistry): void {
  let state: WorkerState | undefined;
  // Messages are handled one at a time, in order: an init finishes (its imports are async) before the
  // shards that follow it run.
  let queue = Promise.resolve();
  const reply = (message: FromWorker, transfer?: ArrayBuffer[]) => scope.postMessage(message, transfer);
  scope.addEventListener('message', (event) => {
    const message = event.data as ToWorker;
    queue = queue.then(async () => {
      try {
        if (message.type === 'init') {
          disposeState(state);
          state = undefined;
          state = await initialize(message, registry);
          reply({ type: 'ready' });
        } else if (message.type === 'shard') {
          if (state === undefined) throw new Error('a shard arrived before the worker was initialized');
          const { reply: answer, transfer } = await computeShard(state, message);
          reply(answer, transfer);
        } else if (message.type === 'task') {
          if (state === undefined) throw new Error('a task arrived before the worker was initialized');
          reply({ type: 'task', id: message.id, output: await runTask(state, message) });
        } else if (message.type === 'close') {
          disposeState(state);
          state = undefined;
        }
      } catch (error) {
        const failure: ErrorReply = {
          type: 'error',
          ...(message.type === 'shard' || message.type === 'task' ? { id: message.id } : {}),
          name: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : String(error),
        };
        reply(failure);
      }
    });
  });
}

async function initialize(message: InitMessage, registry: PluginRegistry): Promise<WorkerState> {
  if (message.setup) {
    const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ message.setup.module)) as {
      setupWorker?: (data: unknown) => unknown;
    };
    if (typeof module.setupWorker !== 'function') {
      throw new ConfigError(
        `the worker setup module ${message.setup.module} exports no setupWorker(data) function`,
      );
    }
    await module.setupWorker(message.setup.data);
  }
  const backend = tf.engine().backendName;
  if (backend !== message.backend) {
    throw new ConfigError(
      `the worker runs on the ${backend ?? 'no'} backend, the main thread on ${message.backend}; ` +
        'the worker setup module must select the same backend',
    );
  }
  const { name, config, eventShape, numClasses, seed } = message.model;
  const model = registry.createModel(name, config, { eventShape, numClasses, seed });
  try {
    const variables = model.variables();
    assertSameLayout(message.layout, layoutOf(variables));
    const players = new Map<string, GradientPlayer>();
    for (const player of model.trainingPlan().players) {
      if (player.kind === 'gradient') players.set(player.name, player);
    }
    return {
      model,
      layout: message.layout,
      variables: new Map(Object.entries(variables)),
      entries: new Map(message.layout.entries.map((e) => [e.key, e])),
      players,
      loaded: new Float32Array(message.layout.size),
      params: message.params && new Float32Array(message.params),
      results: message.results && new Float32Array(message.results),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function computeShard(
  state: WorkerState,
  message: ShardMessage,
): Promise<{ reply: ShardReply; transfer: ArrayBuffer[] }> {
  const player = state.players.get(message.player);
  if (player === undefined)
    throw new ConfigError(`the worker's model has no gradient player "${message.player}"`);
  load(state, message.reload, message.values);
  const keyOf = new Map([...state.variables].map(([key, v]) => [v.name, key]));
  const trainable = player.variables().filter((v) => v.trainable);
  const batch = fromHostBatch(message.batch);
  const context = shardContext(message.runSeed, message.step, message.player, message.shard);
  const values: Record<string, Float32Array> = {};
  const transfer: ArrayBuffer[] = [];
  const send = (entry: LayoutEntry, data: Float32Array) => {
    if (state.results) {
      state.results.set(data, entry.offset);
    } else {
      const copy = Float32Array.from(data);
      values[entry.key] = copy;
      transfer.push(copy.buffer);
    }
  };
  let metrics: Record<string, number>;
  const gradients: string[] = [];
  try {
    const result = await shardGradients(player, trainable, batch, context);
    metrics = result.metrics;
    try {
      for (const [i, g] of result.gradients.entries()) {
        if (g === null) continue;
        const key = keyOf.get(trainable[i].name)!;
        send(state.entries.get(key)!, toFloat32(await g.data()));
        gradients.push(key);
      }
    } finally {
      tf.dispose(result.gradients.filter((g): g is tf.Tensor => g !== null));
    }
  } finally {
    batch.x.dispose();
    batch.labels?.dispose();
    batch.condition?.dispose();
  }
  const moved: string[] = [];
  for (const entry of state.layout.entries) {
    if (entry.trainable) continue;
    const now = toFloat32(await state.variables.get(entry.key)!.data());
    const before = state.loaded.subarray(entry.offset, entry.offset + entry.size);
    if (now.some((v, i) => !Object.is(v, before[i]))) {
      send(entry, now);
      moved.push(entry.key);
    }
  }
  const reply: ShardReply = { type: 'shard', id: message.id, metrics, gradients, state: moved };
  if (!state.results) reply.values = values;
  return { reply, transfer };
}

/** Loads the variables `keys` from the shared parameters, or from `values` (`messages`). */
function load(state: WorkerState, keys: string[], values?: Record<string, Float32Array>): void {
  for (const key of keys) {
    const entry = state.entries.get(key)!;
    const source = state.params
      ? state.params.subarray(entry.offset, entry.offset + entry.size)
      : values?.[key];
    if (source === undefined) throw new Error(`the main thread sent no values for "${key}"`);
    state.loaded.set(source, entry.offset);
    const variable = state.variables.get(key)!;
    tf.tidy(() => variable.assign(tf.tensor(source.slice(), entry.shape, entry.dtype)));
  }
}

const taskModules = new Map<string, Promise<Record<string, unknown>>>();

async function runTask(state: WorkerState, message: TaskMessage): Promise<unknown> {
  load(state, message.reload, message.values);
  if (!taskModules.has(message.module)) {
    taskModules.set(message.module, import(/* webpackIgnore: true */ /* @vite-ignore */ message.module));
  }
  const fn = (await taskModules.get(message.module)!)[message.name];
  if (typeof fn !== 'function')
    throw new ConfigError(`${message.module} exports no function ${message.name}`);
  return await fn(state.model, message.input);
}

function toFloat32(values: ArrayLike<number> | Uint8Array): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function disposeState(state: WorkerState | undefined): void {
  state?.model.dispose();
}
