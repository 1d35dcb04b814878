/** Shared test setup: the wasm backend, models by name from partial configs, and random parameters. */
import { initBackend } from '@genzoo/backends';
import { type ModelContext, ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { FlowModel } from '../src/common/models/flow-model.js';
import { glowDefinition } from '../src/glow/index.js';
import { iafDefinition } from '../src/iaf/index.js';
import { mafDefinition } from '../src/maf/index.js';
import { niceDefinition } from '../src/nice/index.js';
import { realnvpDefinition } from '../src/realnvp/index.js';

export { tf };

export async function useWasm(): Promise<void> {
  await initBackend({ force: 'wasm', quiet: true });
}

export const definitions = {
  nice: niceDefinition,
  realnvp: realnvpDefinition,
  glow: glowDefinition,
  maf: mafDefinition,
  iaf: iafDefinition,
};

export type ModelName = keyof typeof definitions;

/** A model of the family by name, from a partial config (validated, defaults filled). */
export function createModel(
  name: ModelName,
  config: Record<string, unknown>,
  context: Partial<ModelContext> & Pick<ModelContext, 'eventShape'>,
): FlowModel<Record<string, unknown>> {
  const definition = definitions[name];
  const parsed = (definition.configSchema as z.ZodType).parse(config);
  return definition.create(parsed, { seed: 1, ...context }) as unknown as FlowModel<Record<string, unknown>>;
}

/** A fresh parameter store for building single layers. */
export function store(seed = 3): ParameterStore {
  return new ParameterStore('test', seed);
}

/**
 * Seeded N(0, scale²) noise added to every trainable variable: conditioners start at zero (identity
 * couplings), which would make invertibility and log-det tests trivial; adding (not replacing) keeps
 * 1×1 convolutions near their well-conditioned rotations.
 */
export function randomize(variables: Record<string, tf.Variable>, seed: number, scale = 0.3): void {
  Object.values(variables).forEach((v, i) => {
    if (v.trainable)
      tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, scale, 'float32', seed + i))));
  });
}

export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}
