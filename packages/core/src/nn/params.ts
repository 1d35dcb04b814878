/**
 * A named parameter store. Models create their variables through one, so that
 * - each variable has a stable key (`encoder/dense0/kernel`) that checkpoints use, independent of the
 *   global tfjs variable names (which must be unique per process and so carry an instance number);
 * - every initializer is seeded from (model seed, key), so the same seed builds the same model.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../random/seeds.js';

let instanceCounter = 0;

export type Initializer = (shape: number[], seed: number) => tf.Tensor;

export class ParameterStore {
  private readonly vars: Record<string, tf.Variable> = {};
  private readonly derived: Record<string, tf.Variable> = {};
  private readonly prefix: string;

  constructor(
    scope: string,
    private readonly seed: number,
  ) {
    this.prefix = `${scope}_${instanceCounter++}`;
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
    const value = init(shape, deriveSeed(this.seed, key));
    const v = tf.variable(value, trainable, `${this.prefix}/${key}`);
    value.dispose();
    table[key] = v;
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
