/**
 * The main thread's side of the gradient workers: starts them on a model, sends them shards and
 * collects their replies. The threads themselves come from a platform's factory: `nodeGradientWorkers`
 * (`@genzoo/core/node`, worker_threads) or {@link browserGradientWorkers} (Web Workers).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError, type GenzooError, NonFiniteLossError, ShapeError } from '../errors.js';
import type { VariableLayout } from './layout.js';
import type {
  FromWorker,
  ModelDescription,
  ShardMessage,
  ShardReply,
  TaskReply,
  ToWorker,
  Transport,
  WorkerSetup,
} from './protocol.js';

/** One worker as the main thread sees it. */
export interface WorkerEndpoint {
  postMessage(message: ToWorker, transfer?: ArrayBuffer[]): void;
  /** Calls `onMessage` with each reply, `onFailure` if the worker dies. */
  listen(onMessage: (message: FromWorker) => void, onFailure: (error: Error) => void): void;
  terminate(): void | Promise<void>;
  /** Whether the worker has requests in flight (Node keeps the process alive only while it has). */
  busy?(busy: boolean): void;
}

export interface GradientWorkerPoolOptions {
  /** Imported by every worker before it builds a model (see {@link WorkerSetup}). */
  setup?: WorkerSetup;
  /**
   * `shared` (default where SharedArrayBuffer exists): values travel through shared memory, written
   * once and read in place; `messages`: as transferred copies in each message.
   */
  transport?: Transport;
}

interface Pending {
  resolve(reply: FromWorker): void;
  reject(error: Error): void;
}

/** Error classes a worker's failure is rethrown as, so callers can tell a diverged run from a bug. */
const KINDS: Record<string, new (message: string) => GenzooError> = {
  ConfigError,
  NonFiniteLossError,
  ShapeError,
};

export class GradientWorkerPool {
  /** Worker threads; a data-parallel step splits its batch `threads + 1` ways (the main thread takes one). */
  readonly threads: number;
  readonly transport: Transport;
  private readonly endpoints: WorkerEndpoint[];
  private readonly setup?: WorkerSetup;
  private readonly pending: Array<Map<number, Pending>>;
  private failure: Error | undefined;
  private nextId = 0;
  private closed = false;
  /** `shared`: the published parameters and each worker's results, laid out by the started layout. */
  private sharedParams?: Float32Array;
  private sharedResults: Float32Array[] = [];
  private layout?: VariableLayout;
  /** Per worker: variables its next task loads first (after {@link publish}), and (`messages`) their values. */
  private taskReload: string[][] = [];
  private taskValues?: Record<string, Float32Array>;

  constructor(endpoints: WorkerEndpoint[], options: GradientWorkerPoolOptions = {}) {
    if (endpoints.length === 0) throw new ConfigError('a gradient worker pool needs at least one worker');
    const canShare = typeof SharedArrayBuffer !== 'undefined' && (globalThis.crossOriginIsolated ?? true);
    this.transport = options.transport ?? (canShare ? 'shared' : 'messages');
    if (this.transport === 'shared' && !canShare) {
      throw new ConfigError(
        'transport "shared" needs SharedArrayBuffer (in a browser: a cross-origin isolated page); use transport "messages"',
      );
    }
    this.endpoints = endpoints;
    this.threads = endpoints.length;
    this.setup = options.setup;
    this.pending = endpoints.map(() => new Map());
    endpoints.forEach((endpoint, worker) => {
      endpoint.listen(
        (message) => this.receive(worker, message),
        (error) =>
          this.fail(new Error(`gradient worker ${worker + 1} failed: ${error.message}`, { cause: error })),
      );
    });
  }

  /** The parameters the main thread publishes (`shared`), or undefined (`messages`). */
  get params(): Float32Array | undefined {
    return this.sharedParams;
  }

  /** Worker `worker`'s gradients and moved state (`shared`), or undefined (`messages`). */
  results(worker: number): Float32Array | undefined {
    return this.sharedResults[worker];
  }

  /** Builds `model` in every worker (replacing any model they had) and waits until all are ready. */
  async start(model: ModelDescription, layout: VariableLayout, backend: string): Promise<void> {
    this.assertOpen();
    this.layout = layout;
    this.taskReload = this.endpoints.map(() => []);
    let params: SharedArrayBuffer | undefined;
    if (this.transport === 'shared') {
      params = new SharedArrayBuffer(layout.size * 4);
      this.sharedParams = new Float32Array(params);
    }
    const results = this.endpoints.map(() =>
      this.transport === 'shared' ? new SharedArrayBuffer(layout.size * 4) : undefined,
    );
    this.sharedResults = results.flatMap((r) => (r ? [new Float32Array(r)] : []));
    await Promise.all(
      this.endpoints.map((_, worker) =>
        this.send(worker, -1 - worker, {
          type: 'init',
          ...(this.setup ? { setup: this.setup } : {}),
          backend,
          model,
          layout,
          transport: this.transport,
          ...(params ? { params, results: results[worker] } : {}),
        }),
      ),
    );
  }

  /** Sends one shard to `worker` and resolves with its gradients. */
  async shard(
    worker: number,
    message: Omit<ShardMessage, 'type' | 'id'>,
    transfer: ArrayBuffer[] = [],
  ): Promise<ShardReply> {
    this.assertOpen();
    const id = this.nextId++;
    return (await this.send(worker, id, { type: 'shard', id, ...message }, transfer)) as ShardReply;
  }

  /**
   * Makes every worker's model equal to `variables` (the started model's, by key) before its next
   * {@link task}: call it whenever the model changed since the workers last saw it.
   */
  async publish(variables: Record<string, tf.Variable>): Promise<void> {
    const layout = this.layout;
    if (layout === undefined) throw new ConfigError('the gradient workers have not been started on a model');
    const values: Record<string, Float32Array> = {};
    for (const entry of layout.entries) {
      const variable = variables[entry.key];
      if (variable === undefined) throw new ConfigError(`publish: the model has no variable "${entry.key}"`);
      const data = (await variable.data()) as Float32Array;
      if (this.sharedParams) this.sharedParams.set(data, entry.offset);
      else values[entry.key] = Float32Array.from(data);
    }
    if (!this.sharedParams) this.taskValues = values;
    const keys = layout.entries.map((e) => e.key);
    this.taskReload = this.endpoints.map(() => keys);
  }

  /** Runs `name` of `module` on worker `worker`'s model with `input` (see TaskMessage); resolves with its output. */
  async task(
    worker: number,
    task: { module: string; name: string; input: unknown },
    transfer: ArrayBuffer[] = [],
  ): Promise<unknown> {
    this.assertOpen();
    const id = this.nextId++;
    const reload = this.taskReload[worker] ?? [];
    this.taskReload[worker] = [];
    const values = reload.length > 0 && this.taskValues ? this.taskValues : undefined;
    const reply = (await this.send(
      worker,
      id,
      { type: 'task', id, ...task, reload, ...(values ? { values } : {}) },
      transfer,
    )) as TaskReply;
    return reply.output;
  }

  /** Stops the workers; a pool cannot be used after. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('the gradient worker pool was closed'));
    await Promise.all(
      this.endpoints.map(async (endpoint) => {
        endpoint.postMessage({ type: 'close' });
        await endpoint.terminate();
      }),
    );
  }

  private send(worker: number, id: number, message: ToWorker, transfer?: ArrayBuffer[]): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<FromWorker>((resolve, reject) => {
      const pending = this.pending[worker];
      if (pending.size === 0) this.endpoints[worker].busy?.(true);
      pending.set(id, { resolve, reject });
      this.endpoints[worker].postMessage(message, transfer);
    });
  }

  private receive(worker: number, message: FromWorker): void {
    const pending = this.pending[worker];
    // An init is answered by `ready` (its id is negative); shards by their id; errors carry the id they
    // answer, or none when the init failed.
    const id =
      message.type === 'ready'
        ? -1 - worker
        : message.type === 'shard'
          ? message.id
          : (message.id ?? -1 - worker);
    const waiting = pending.get(id);
    if (waiting === undefined) return;
    pending.delete(id);
    if (pending.size === 0) this.endpoints[worker].busy?.(false);
    if (message.type === 'error') {
      const Kind = KINDS[message.name];
      waiting.reject(
        Kind ? new Kind(message.message) : new Error(`gradient worker ${worker + 1}: ${message.message}`),
      );
    } else {
      waiting.resolve(message);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.pending.forEach((pending, worker) => {
      for (const waiting of pending.values()) waiting.reject(error);
      if (pending.size > 0) this.endpoints[worker].busy?.(false);
      pending.clear();
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new ConfigError('the gradient worker pool was closed');
    if (this.failure) throw this.failure;
  }
}

export interface BrowserGradientWorkersOptions extends GradientWorkerPoolOptions {
  threads: number;
  /**
   * The module worker script, which registers the app's plugins, selects the backend and calls
   * `serveGradientShards(self)`.
   */
  url: string | URL;
}

/** A pool of Web Workers (module workers) running `url`. */
export function browserGradientWorkers(options: BrowserGradientWorkersOptions): GradientWorkerPool {
  if (typeof Worker === 'undefined') throw new ConfigError('this platform has no Web Workers');
  assertThreads(options.threads);
  const endpoints = Array.from({ length: options.threads }, (): WorkerEndpoint => {
    const worker = new Worker(options.url, { type: 'module' });
    return {
      postMessage: (message, transfer = []) => worker.postMessage(message, transfer),
      listen(onMessage, onFailure) {
        worker.addEventListener('message', (event) => onMessage(event.data as FromWorker));
        worker.addEventListener('error', (event) => onFailure(new Error(event.message)));
      },
      terminate: () => worker.terminate(),
    };
  });
  return new GradientWorkerPool(endpoints, options);
}

export function assertThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ConfigError(`gradient workers: threads must be a positive integer, got ${threads}`);
  }
}
