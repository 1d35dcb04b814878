/**
 * A named parameter store. Models create their variables through one, so that
 * - each variable has a stable key (`encoder/dense0/kernel`) that checkpoints use, independent of the
 *   global tfjs variable names (which must be unique per process and so carry an instance number);
 * - every initializer is seeded from (model seed, key), so the same seed builds the same model;
 * - the model's parameters stay within a memory budget, checked before each variable is allocated.
 *
 * The module also holds the other memory estimates genzoo makes before allocating (the values a command
 * draws at once), so that every refusal reads alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, ResourceError } from '../errors.js';
import { deriveSeed } from '../random/seeds.js';
import { processWide } from '../registry/process-wide.js';

/** tfjs variable names must be unique in the engine: one counter per process (see process-wide.ts). */
const instances = processWide('parameter-store-instances.v1', () => ({ next: 0 }));

/** Overrides the parameter budget: a number of bytes (`GENZOO_MAX_PARAMETER_BYTES=4e9`). */
export const PARAMETER_BYTES_ENV = 'GENZOO_MAX_PARAMETER_BYTES';

/**
 * A model's parameters may take 1 GiB unless PARAMETER_BYTES_ENV says otherwise: training holds four
 * copies of them (values, gradients, Adam's two moments), and wasm can address 4 GiB at most.
 */
export const DEFAULT_PARAMETER_BYTES = 2 ** 30;

/**
 * What a program may hold in the values it draws or decodes at once (samples, completions, the images of
 * a latent picture): 512 MiB, since the model's activations for them take several times as much.
 */
export const SAMPLE_BYTES_LIMIT = 2 ** 29;

/** Every value genzoo allocates for a model is float32 or int32. */
const BYTES_PER_VALUE = 4;

/** The parameter budget in bytes: PARAMETER_BYTES_ENV when set, else DEFAULT_PARAMETER_BYTES. */
export function parameterBytesLimit(): number {
  // Read through globalThis: in a browser there is no `process`, and the default applies.
  const raw = globalThis.process?.env?.[PARAMETER_BYTES_ENV]?.trim();
  if (!raw) return DEFAULT_PARAMETER_BYTES;
  const bytes = Number(raw);
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new ConfigError(`${PARAMETER_BYTES_ENV} must be a positive number of bytes, got "${raw}"`);
  }
  return bytes;
}

/** Bytes of the 4-byte values of a tensor of `shape`. */
export function tensorBytes(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, BYTES_PER_VALUE);
}

/** A byte count for messages, in binary units: `512 KiB`, `3.7 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}

/**
 * Refuses, with a ResourceError, an estimate above its limit: "`what` about 3.7 GiB, over the limit of
 * 512 MiB; `advice`". `what` ends in its verb ("--n 100000000: the samples would take").
 */
export function checkMemoryEstimate(what: string, bytes: number, limit: number, advice: string): void {
  if (bytes <= limit) return;
  throw new ResourceError(
    `${what} about ${formatBytes(bytes)}, over the limit of ${formatBytes(limit)}; ${advice}`,
  );
}

export type Initializer = (shape: number[], seed: number) => tf.Tensor;

export class ParameterStore {
  private readonly vars: Record<string, tf.Variable> = {};
  private readonly derived: Record<string, tf.Variable> = {};
  private readonly prefix: string;
  /** Bytes of every variable created so far, checked against the budget before each new one. */
  private allocated = 0;

  constructor(
    scope: string,
    private readonly seed: number,
  ) {
    this.prefix = `${scope}_${instances.next++}`;
  }

  /** Creates (once) the variable `key` with the initializer's value. */
  create(key: string, shape: number[], init: Initializer, trainable = true): tf.Variable {
    return this.add(this.vars, key, shape, init, trainable);
  }

  /**
   * A constant of the architecture that the config and seed determine (MADE's masks, PixelCNN's kernel
   * masks): held and disposed like a parameter, never trained, and not listed by `all()`, so checkpoints
   * do not store it — the model rebuilds it when it is created.
   */
  createDerived(key: string, shape: number[], init: Initializer): tf.Variable {
    return this.add(this.derived, key, shape, init, false);
  }

  private add(
    table: Record<string, tf.Variable>,
    key: string,
    shape: number[],
    init: Initializer,
    trainable: boolean,
  ): tf.Variable {
    if (this.vars[key] || this.derived[key]) throw new Error(`parameter "${key}" already exists`);
    // Before the initializer allocates: an oversized size option fails here, naming the parameter,
    // instead of as an invalid typed array length or deep inside a kernel.
    const bytes = tensorBytes(shape);
    checkMemoryEstimate(
      `parameter "${key}" of shape [${shape.join(', ')}] (${formatBytes(bytes)}) would bring the model's parameters to`,
      this.allocated + bytes,
      parameterBytesLimit(),
      `lower the model's sizes, or raise the limit with ${PARAMETER_BYTES_ENV}`,
    );
    const value = init(shape, deriveSeed(this.seed, key));
    const v = tf.variable(value, trainable, `${this.prefix}/${key}`);
    value.dispose();
    table[key] = v;
    this.allocated += bytes;
    return v;
  }

  get(key: string): tf.Variable {
    const v = this.vars[key];
    if (!v) throw new Error(`no parameter "${key}"`);
    return v;
  }

  /** All variables by stable key. */
  all(): Record<string, tf.Variable> {
    return { ...this.vars };
  }

  /** Trainable variables whose key starts with one of the prefixes (all when none given). */
  trainable(...prefixes: string[]): tf.Variable[] {
    return Object.entries(this.vars)
      .filter(([k, v]) => v.trainable && (prefixes.length === 0 || prefixes.some((p) => k.startsWith(p))))
      .map(([, v]) => v);
  }

  dispose(): void {
    for (const table of [this.vars, this.derived]) {
      for (const v of Object.values(table)) v.dispose();
      for (const k of Object.keys(table)) delete table[k];
    }
    this.allocated = 0;
  }
}

export const initializers = {
  zeros: (): Initializer => (shape) => tf.zeros(shape),
  ones: (): Initializer => (shape) => tf.ones(shape),
  constant:
    (value: number): Initializer =>
    (shape) =>
      tf.fill(shape, value),
  normal:
    (stddev: number, mean = 0): Initializer =>
    (shape, seed) =>
      tf.randomNormal(shape, mean, stddev, 'float32', seed),
  uniform:
    (low: number, high: number): Initializer =>
    (shape, seed) =>
      tf.randomUniform(shape, low, high, 'float32', seed),
  /** Glorot/Xavier uniform: U(±√(6/(fanIn+fanOut))). fan sizes follow the Keras convention. */
  glorotUniform: (): Initializer => (shape, seed) => {
    const [fanIn, fanOut] = fans(shape);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.randomUniform(shape, -limit, limit, 'float32', seed);
  },
  /** He/Kaiming normal for ReLU nets: N(0, 2/fanIn), truncated at 2σ as in Keras. */
  heNormal: (): Initializer => (shape, seed) => {
    const [fanIn] = fans(shape);
    return tf.truncatedNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed);
  },
};

/** (fanIn, fanOut) of a dense kernel [in, out] or conv kernel [kh, kw, in, out]. */
function fans(shape: number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length === 4) {
    const receptive = shape[0] * shape[1];
    return [receptive * shape[2], receptive * shape[3]];
  }
  const n = shape.reduce((a, b) => a * b, 1);
  return [n, n];
}
