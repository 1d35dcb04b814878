/** Shared test setup: the wasm backend, models by name from partial configs, and tensor values. */
import { initBackend } from '@genzoo/backends';
import type { ModelContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { cganDefinition } from '../src/cgan/index.js';
import { dcganDefinition } from '../src/dcgan/index.js';
import { ganDefinition } from '../src/gan/index.js';
import type { AdversarialModel } from '../src/gan/model.js';
import { wganDefinition } from '../src/wgan/index.js';
import { wganGpDefinition } from '../src/wgan-gp/index.js';

export { tf };

export async function useWasm(): Promise<void> {
  await initBackend({ force: 'wasm', quiet: true });
}

export const definitions = {
  gan: ganDefinition,
  dcgan: dcganDefinition,
  wgan: wganDefinition,
  'wgan-gp': wganGpDefinition,
  cgan: cganDefinition,
};

export type ModelName = keyof typeof definitions;

/** A model of the family by name, from a partial config (validated, defaults filled). */
export function createModel(
  name: ModelName,
  config: Record<string, unknown>,
  context: Partial<ModelContext> & Pick<ModelContext, 'eventShape'>,
): AdversarialModel {
  const definition = definitions[name];
  const parsed = (definition.configSchema as z.ZodType).parse(config);
  return definition.create(parsed, { seed: 1, ...context }) as unknown as AdversarialModel;
}

export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** A small DCGAN-style network for 8×8 images, cheap enough for gradient checks. */
export const SMALL_DCGAN = {
  kind: 'dcgan',
  generatorChannels: [8, 4],
  discriminatorChannels: [4, 8],
  kernelSize: 4,
} as const;
