/**
 * Saving and restoring an optimizer's state (moments, accumulators, step counters) by the model's stable
 * variable keys.
 *
 * tfjs optimizers keep one slot variable per updated variable, in the order of the gradient list, and
 * their public `getWeights()` names slots after the tfjs variable names, which carry a per-process
 * instance number (and Adamax does not implement it at all). The Trainer always applies gradients in the
 * same order, so slot i belongs to the player's i-th variable; this module reads and writes the slot
 * arrays directly and names each slot `<slot>:<stable key>`. It also restores Adam's running β powers
 * exactly instead of recomputing them as βᵗ⁺¹ (tfjs's setWeights), so a resumed run is bit-identical.
 *
 * The field names below are tfjs-core 4.22 internals (the version is pinned); `assertOptimizerLayout`
 * fails loudly if they ever change, and the resume tests cover every optimizer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { formatShape, type HostTensor, readTensor, sameShape, toTensor } from '../checkpoint/host-tensor.js';
import { CheckpointError } from '../errors.js';
import type { OptimizerConfig } from './config.js';

/** Which tfjs optimizer class a config creates (SGD with momentum is tfjs's MomentumOptimizer). */
export type OptimizerKind = 'adam' | 'adamax' | 'rmsprop' | 'sgd' | 'momentum';

export function optimizerKind(config: OptimizerConfig): OptimizerKind {
  return config.name === 'sgd' && config.momentum > 0 ? 'momentum' : config.name;
}

interface SlotField {
  /** The optimizer's array field of { originalName, variable }. */
  field: string;
  /** Our slot name in checkpoints. */
  slot: string;
  /** The suffix tfjs gives the slot's name. */
  tfjsSuffix: string;
}

interface Layout {
  slots: SlotField[];
  /** Scalar variables of the optimizer (running β powers, Adamax's own step counter). */
  scalars: string[];
}

const LAYOUTS: Record<OptimizerKind, Layout> = {
  adam: {
    slots: [
      { field: 'accumulatedFirstMoment', slot: 'm', tfjsSuffix: 'm' },
      { field: 'accumulatedSecondMoment', slot: 'v', tfjsSuffix: 'v' },
    ],
    scalars: ['accBeta1', 'accBeta2'],
  },
  adamax: {
    slots: [
      { field: 'accumulatedFirstMoment', slot: 'm', tfjsSuffix: 'm' },
      { field: 'accumulatedWeightedInfNorm', slot: 'u', tfjsSuffix: 'v' },
    ],
    scalars: ['iteration', 'accBeta1'],
  },
  rmsprop: {
    slots: [
      { field: 'accumulatedMeanSquares', slot: 'ms', tfjsSuffix: 'rms' },
      { field: 'accumulatedMoments', slot: 'mom', tfjsSuffix: 'momentum' },
    ],
    scalars: [],
  },
  momentum: { slots: [{ field: 'accumulations', slot: 'momentum', tfjsSuffix: 'momentum' }], scalars: [] },
  sgd: { slots: [], scalars: [] },
};

interface SlotEntry {
  originalName: string;
  variable: tf.Variable;
}

type Internals = Record<string, unknown> & { iterations_?: number };

/** A variable the optimizer updates, with the model's stable key for it. */
export interface KeyedVariable {
  key: string;
  variable: tf.Variable;
}

export interface OptimizerSnapshot {
  /** Number of updates applied. */
  iterations: number;
  /** Slots by `<slot>:<variable key>`, scalars by name. */
  tensors: Record<string, HostTensor>;
}

/** Throws if this tfjs build does not have the optimizer fields this module reads. */
export function assertOptimizerLayout(optimizer: tf.Optimizer, kind: OptimizerKind): void {
  const internals = optimizer as unknown as Internals;
  const layout = LAYOUTS[kind];
  const missing = [
    ...layout.slots.filter((s) => !Array.isArray(internals[s.field])).map((s) => s.field),
    ...layout.scalars.filter((name) => !(internals[name] instanceof tf.Variable)),
  ];
  if (missing.length > 0) {
    throw new Error(
      `this @tensorflow/tfjs-core build's ${kind} optimizer lacks the internal field(s) ${missing.join(', ')} ` +
        'that optimizer checkpoints rely on (written for tfjs-core 4.22)',
    );
  }
}

export async function snapshotOptimizer(
  optimizer: tf.Optimizer,
  kind: OptimizerKind,
  variables: readonly KeyedVariable[],
): Promise<OptimizerSnapshot> {
  const internals = optimizer as unknown as Internals;
  const layout = LAYOUTS[kind];
  const tensors: Record<string, HostTensor> = {};
  for (const { field, slot } of layout.slots) {
    const entries = internals[field] as SlotEntry[];
    // Slots are created on the first update; before it there is no state to save.
    if (entries.length === 0) continue;
    if (entries.length !== variables.length) {
      throw new Error(
        `${kind} optimizer holds ${entries.length} "${slot}" slots for ${variables.length} variables`,
      );
    }
    for (let i = 0; i < variables.length; i++) {
      const name = `${slot}:${variables[i].key}`;
      tensors[name] = await readTensor(name, entries[i].variable);
    }
  }
  for (const name of layout.scalars) tensors[name] = await readTensor(name, internals[name] as tf.Variable);
  return { iterations: optimizer.iterations, tensors };
}

/** Restores a snapshot into a freshly created optimizer of the same kind. */
export function restoreOptimizer(
  optimizer: tf.Optimizer,
  kind: OptimizerKind,
  variables: readonly KeyedVariable[],
  snapshot: OptimizerSnapshot,
  what: string,
): void {
  const internals = optimizer as unknown as Internals;
  const layout = LAYOUTS[kind];
  const lookup = (name: string, shape: readonly number[]): HostTensor => {
    const host = snapshot.tensors[name];
    if (!host) throw new CheckpointError(`${what}: optimizer state "${name}" is missing`);
    if (!sameShape(host.shape, shape)) {
      throw new CheckpointError(
        `${what}: optimizer state "${name}" has shape ${formatShape(host.shape)}, expected ${formatShape(shape)}`,
      );
    }
    return host;
  };
  for (const { field, slot, tfjsSuffix } of layout.slots) {
    if (!variables.some((v) => snapshot.tensors[`${slot}:${v.key}`])) continue;
    const entries: SlotEntry[] = variables.map(({ key, variable }) => {
      const host = lookup(`${slot}:${key}`, variable.shape);
      return {
        originalName: `${variable.name}/${tfjsSuffix}`,
        variable: tf.tidy(() => tf.variable(toTensor(host), false)),
      };
    });
    for (const old of internals[field] as SlotEntry[]) old.variable.dispose();
    internals[field] = entries;
  }
  for (const name of layout.scalars) {
    const target = internals[name] as tf.Variable;
    const host = lookup(name, target.shape);
    tf.tidy(() => target.assign(toTensor(host)));
  }
  internals.iterations_ = snapshot.iterations;
}
