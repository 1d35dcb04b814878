import * as tf from '@tensorflow/tfjs-core';

/**
 * Selects TensorFlow.js's plain-JavaScript `cpu` backend (loading `@tensorflow/tfjs-backend-cpu` on first
 * use) and returns its name. Slow but always available and deterministic, which suits small smoke and leak
 * tests; call it in `beforeAll`.
 *
 * @example
 * ```ts
 * import { useCpuBackend } from '@genzoo/testing';
 * import { beforeAll } from 'vitest';
 *
 * beforeAll(useCpuBackend);
 * ```
 */
export async function useCpuBackend(): Promise<string> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('the TensorFlow.js cpu backend did not initialize');
  await tf.ready();
  return tf.getBackend();
}
