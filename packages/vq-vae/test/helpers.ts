/** Shared test setup: the wasm backend (fast convolutions), small models, step contexts. */
import { initBackend } from '@genzoo/backends';
import { ParameterStore, type StepContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { VectorQuantizer } from '../src/common/quantizer.js';
import { vqVaeConfigSchema } from '../src/vq-vae/config.js';
import { VqVae } from '../src/vq-vae/model.js';

export { tf };

export async function useWasm(): Promise<void> {
  await initBackend({ force: 'wasm', quiet: true });
}

/** A small VQ-VAE on 28 × 28 × 1 images from a partial config. */
export function createVqVae(config: Record<string, unknown> = {}, seed = 1): VqVae {
  const small = { hidden: [8, 16], residualBlocks: 1, residualChannels: 8, codebookSize: 16, codeDim: 4 };
  return new VqVae('vq-vae', vqVaeConfigSchema.parse({ ...small, ...config }), {
    eventShape: [28, 28, 1],
    seed,
  });
}

export function createQuantizer(
  options: Partial<ConstructorParameters<typeof VectorQuantizer>[2]> = {},
  seed = 3,
): { quantizer: VectorQuantizer; store: ParameterStore } {
  const store = new ParameterStore('vq-test', seed);
  const quantizer = new VectorQuantizer(store, 'q', {
    codebookSize: 8,
    codeDim: 3,
    update: 'loss',
    decay: 0.9,
    epsilon: 1e-5,
    ...options,
  });
  return { quantizer, store };
}

/** A StepContext for step `step` whose seeds come from `seed`. */
export function stepContext(step: number, seed = 7): StepContext {
  let call = 0;
  return { step, nextSeed: () => seed * 1000 + call++ };
}

export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Every actual value within 10^−digits/2 of its expected one. */
export function expectClose(actual: readonly number[], expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}
