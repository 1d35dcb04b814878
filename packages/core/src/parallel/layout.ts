/**
 * Where each model variable lives in the flat float32 buffers the main thread and the gradient workers
 * exchange: parameters going out, gradients and batch-statistics state coming back. Both sides build
 * the layout from the same model description, in the order of `model.variables()`'s keys.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';

export interface LayoutEntry {
  key: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Offset in float32 elements. */
  offset: number;
  size: number;
  trainable: boolean;
}

export interface VariableLayout {
  entries: LayoutEntry[];
  /** Total float32 elements. */
  size: number;
}

/** The layout of `variables` (a model's `variables()`), refusing dtypes a float32 buffer cannot carry. */
export function layoutOf(variables: Record<string, tf.Variable>): VariableLayout {
  const entries: LayoutEntry[] = [];
  let offset = 0;
  for (const [key, variable] of Object.entries(variables)) {
    const { dtype } = variable;
    if (dtype !== 'float32' && dtype !== 'int32') {
      throw new ConfigError(
        `data-parallel training: variable "${key}" has dtype ${dtype}; expected float32 or int32`,
      );
    }
    entries.push({
      key,
      shape: [...variable.shape],
      dtype,
      offset,
      size: variable.size,
      trainable: variable.trainable,
    });
    offset += variable.size;
  }
  return { entries, size: offset };
}

/** Checks that a worker's model has exactly the main thread's variables. */
export function assertSameLayout(expected: VariableLayout, actual: VariableLayout): void {
  const describe = (e: LayoutEntry) => `${e.key} [${e.shape}] ${e.dtype}${e.trainable ? '' : ' (state)'}`;
  const want = expected.entries.map(describe);
  const got = actual.entries.map(describe);
  if (want.length !== got.length || want.some((w, i) => w !== got[i])) {
    const first = want.findIndex((w, i) => w !== got[i]);
    throw new ConfigError(
      `data-parallel training: the worker built a model whose variables differ from the main thread's ` +
        `(first difference at #${first}: main ${want[first] ?? 'nothing'}, worker ${got[first] ?? 'nothing'}); ` +
        'the worker must register the same plugin versions',
    );
  }
}
