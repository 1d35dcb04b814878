/** Shared test setup: the wasm backend (fast matmuls), small models, data and float64 host helpers. */

import { initBackend } from '@genzoo/backends';
import type { Batch, ModelContext, StepContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { betaVaeDefinition } from '../src/beta-vae/index.js';
import type { VariationalModel } from '../src/common/variational-model.js';
import { cvaeDefinition } from '../src/cvae/index.js';
import { hvaeDefinition } from '../src/hvae/index.js';
import { iwaeDefinition } from '../src/iwae/index.js';
import { vaeDefinition } from '../src/vae/index.js';

export { tf };

export async function useWasm(): Promise<void> {
  await initBackend({ force: 'wasm', quiet: true });
}

const definitions = {
  vae: vaeDefinition,
  'beta-vae': betaVaeDefinition,
  cvae: cvaeDefinition,
  iwae: iwaeDefinition,
  hvae: hvaeDefinition,
};

/** A model of the family by name, from a partial config (validated, defaults filled). */
export function createVae(
  name: keyof typeof definitions,
  config: Record<string, unknown>,
  context: Partial<ModelContext> = {},
): VariationalModel<Record<string, unknown>> {
  const definition = definitions[name];
  return definition.create(definition.configSchema.parse(config), {
    eventShape: [784],
    seed: 1,
    ...context,
  }) as unknown as VariationalModel<Record<string, unknown>>;
}

/** A StepContext for step `step` whose seeds come from `seed`. */
export function stepContext(step: number, seed: number): StepContext {
  let call = 0;
  return { step, nextSeed: () => seed * 1000 + call++ };
}

export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return s / (xs.length - 1);
}

/** n binary 784-pixel examples with pixels on with probability 1 − threshold, drawn with a seed. */
export function binaryBatch(n: number, seed: number, threshold = 0.7): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.cast(
        tf.greater(tf.randomUniform([n, 784], 0, 1, 'float32', seed), threshold),
        'float32',
      ) as tf.Tensor2D,
  );
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.x, batch.labels, batch.condition].filter((t): t is tf.Tensor => t !== undefined));
}
