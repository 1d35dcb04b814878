// What the reference runners share: a split's values exactly as genzoo's evaluation sees them.
import { evaluateModel } from '@genzoo/evaluation';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The values of `split` as genzoo's evaluateModel feeds them to a model (seeded by `seed`, the first `limit`
 * examples when given), float32.
 */
export async function evaluatedValues(split, seed, limit) {
  const parts = [];
  const capture = {
    name: 'reference-capture',
    eventShape: split.eventShape,
    likelihood: {
      kind: 'exact',
      logProb: (x) => {
        parts.push(x.dataSync().slice());
        return tf.zeros([x.shape[0]]);
      },
    },
  };
  await evaluateModel(capture, split, { seed, limit });
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    values.set(part, offset);
    offset += part.length;
  }
  return values;
}
