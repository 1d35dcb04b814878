/** Shared test setup: the wasm backend, models by name from partial configs, and small data. */
import { initBackend } from '@genzoo/backends';
import type { ModelContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { AutoregressiveModel } from '../src/common/models/autoregressive-model.js';
import { gatedPixelcnnDefinition } from '../src/gated-pixelcnn/index.js';
import { madeDefinition } from '../src/made/index.js';
import { nadeDefinition } from '../src/nade/index.js';
import { pixelcnnDefinition } from '../src/pixelcnn/index.js';

export { tf };

export async function useWasm(): Promise<void> {
  await initBackend({ force: 'wasm', quiet: true });
}

export const definitions = {
  nade: nadeDefinition,
  made: madeDefinition,
  pixelcnn: pixelcnnDefinition,
  'gated-pixelcnn': gatedPixelcnnDefinition,
};

export type ModelName = keyof typeof definitions;

/** A model of the family by name, from a partial config (validated, defaults filled). */
export function createModel(
  name: ModelName,
  config: Record<string, unknown>,
  context: Partial<ModelContext> & Pick<ModelContext, 'eventShape'>,
): AutoregressiveModel<Record<string, unknown>> {
  const definition = definitions[name];
  const parsed = (definition.configSchema as z.ZodType).parse(config);
  return definition.create(parsed, { seed: 1, ...context }) as unknown as AutoregressiveModel<
    Record<string, unknown>
  >;
}

/** n binary examples of the given event shape, pixels on with probability 1 − threshold. */
export function binaryExamples(
  n: number,
  eventShape: readonly number[],
  seed: number,
  threshold = 0.5,
): tf.Tensor {
  return tf.tidy(() =>
    tf.cast(tf.greater(tf.randomUniform([n, ...eventShape], 0, 1, 'float32', seed), threshold), 'float32'),
  );
}

/** One-hot labels [n, classes] of the classes 0, 1, … in turn. */
export function labels(n: number, classes: number): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.oneHot(
        tf.tensor1d(
          Array.from({ length: n }, (_, i) => i % classes),
          'int32',
        ),
        classes,
      ) as tf.Tensor2D,
  );
}

export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Every binary vector of length d, as rows [2^d, d]. */
export function allBinary(d: number): number[][] {
  return Array.from({ length: 2 ** d }, (_, k) => Array.from({ length: d }, (_, j) => (k >> j) & 1));
}
