/**
 * Samples drawn elsewhere (translations, another implementation's output) replayed as a model's draws:
 * `sample(k)` returns the next k stored rows, so the scorer, which asks for its samples in order, scores
 * exactly these. A conditional set is stored in the scorer's label order, i mod numClasses.
 */
import { DataError, type GenerativeModel, tf } from '@genzoo/core';

export function replaySamples(
  name: string,
  values: Float32Array,
  eventShape: readonly number[],
  numClasses?: number,
): GenerativeModel {
  const size = eventShape.reduce((a, b) => a * b, 1);
  let next = 0;
  return {
    name,
    config: {},
    eventShape,
    likelihood: { kind: 'none' },
    ...(numClasses !== undefined ? { numClasses } : {}),
    variables: () => ({}),
    trainingPlan: () => {
      throw new Error(`${name}: replayed samples cannot be trained`);
    },
    sample(k: number) {
      if ((next + k) * size > values.length) {
        throw new DataError(`${name}: ${values.length / size} samples were stored, ${next + k} asked for`);
      }
      const rows = values.subarray(next * size, (next + k) * size);
      next += k;
      return tf.tensor(rows, [k, ...eventShape]);
    },
    dispose() {},
  } as GenerativeModel;
}
