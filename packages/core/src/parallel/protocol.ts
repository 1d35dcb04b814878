/**
 * The messages between the Trainer's main thread and its gradient workers (Node worker threads or Web
 * Workers: the same protocol over `postMessage`).
 *
 * A worker holds a copy of the model. For each data-parallel update the main thread sends it one shard
 * of the batch and the names of the variables that changed since it last sent them; the worker loads
 * those, computes the player's gradients on its shard and returns them, with the batch-statistics state
 * (non-trainable variables) its forward pass moved. Values travel either through SharedArrayBuffers
 * laid out by {@link VariableLayout} (`shared`) or as transferred Float32Arrays in the messages
 * (`messages`, for pages that are not cross-origin isolated).
 */
import type { StepContext } from '../contracts/training.js';
import { deriveSeed } from '../random/seeds.js';
import type { VariableLayout } from './layout.js';

/** How parameter and gradient values travel between the main thread and the workers. */
export type Transport = 'shared' | 'messages';

/** What a worker needs to build the same model as the main thread (what a checkpoint records). */
export interface ModelDescription {
  name: string;
  config: Record<string, unknown>;
  eventShape: number[];
  numClasses?: number;
  seed: number;
}

/**
 * How a worker prepares itself before building the model: `module` is imported in the worker (a URL
 * or specifier it can import) and its export `setupWorker(data)` awaited. It must register the model's
 * plugin and select the main thread's tfjs backend.
 */
export interface WorkerSetup {
  module: string;
  data?: unknown;
}

export interface InitMessage {
  type: 'init';
  setup?: WorkerSetup;
  /** The main thread's tfjs backend; the worker refuses to run on another. */
  backend: string;
  model: ModelDescription;
  layout: VariableLayout;
  transport: Transport;
  /** `shared`: the parameters the main thread publishes (layout.size float32). */
  params?: SharedArrayBuffer;
  /** `shared`: this worker's gradients and moved state (layout.size float32). */
  results?: SharedArrayBuffer;
}

export interface HostBatch {
  x: Float32Array;
  xShape: number[];
  labels?: Int32Array;
  condition?: Float32Array;
  conditionShape?: number[];
}

export interface ShardMessage {
  type: 'shard';
  id: number;
  player: string;
  runSeed: number;
  step: number;
  /** Which shard of the batch this is (the main thread computes shard 0). */
  shard: number;
  /** Variables to load before computing: changed since this worker last loaded them. */
  reload: string[];
  /** `messages`: the values of `reload`. */
  values?: Record<string, Float32Array>;
  batch: HostBatch;
}

/**
 * Runs `name` exported by `module` (a URL the worker can import) on the worker's model, as
 * `await fn(model, input)`, after loading `reload`: how other packages shard work over the workers
 * (held-out evaluation, batch by batch). Input and output are structured-cloneable.
 */
export interface TaskMessage {
  type: 'task';
  id: number;
  module: string;
  name: string;
  reload: string[];
  values?: Record<string, Float32Array>;
  input: unknown;
}

export interface CloseMessage {
  type: 'close';
}

export type ToWorker = InitMessage | ShardMessage | TaskMessage | CloseMessage;

export interface ReadyReply {
  type: 'ready';
}

export interface ShardReply {
  type: 'shard';
  id: number;
  /** `loss` and the objective's metrics on this shard. */
  metrics: Record<string, number>;
  /** The player's trainable variables that received a gradient. */
  gradients: string[];
  /** Non-trainable variables whose values the shard's forward pass changed (batch-norm statistics). */
  state: string[];
  /** `messages`: the values of `gradients` and `state`. */
  values?: Record<string, Float32Array>;
}

export interface TaskReply {
  type: 'task';
  id: number;
  output: unknown;
}

export interface ErrorReply {
  type: 'error';
  id?: number;
  /** The error's class name (ConfigError, NonFiniteLossError, …), so the main thread can rethrow its kind. */
  name: string;
  message: string;
}

export type FromWorker = ReadyReply | ShardReply | TaskReply | ErrorReply;

/**
 * The StepContext of shard `shard` of a data-parallel update: each shard draws its own random numbers,
 * derived from (run seed, step, player, call, shard), so a run is reproducible for a given number of
 * workers (with one worker the Trainer uses the undivided context and draws what it always drew).
 */
export function shardContext(runSeed: number, step: number, player: string, shard: number): StepContext {
  let call = 0;
  return { step, nextSeed: () => deriveSeed(runSeed, step, player, call++, 'shard', shard) };
}

/** Shard sizes of a batch of `batchSize` split `shards` ways: as equal as possible, larger ones first. */
export function shardSizes(batchSize: number, shards: number): number[] {
  const base = Math.floor(batchSize / shards);
  return Array.from({ length: shards }, (_, k) => base + (k < batchSize % shards ? 1 : 0));
}
