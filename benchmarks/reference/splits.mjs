// What the reference runners share: a split's values exactly as genzoo's evaluation sees them, and the
// training split's 8-bit images before the transform that the reference applies itself per batch.
import { loadDataset } from '@genzoo/datasets/node';
import { evaluateModel } from '@genzoo/evaluation';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The training split of `dataset` loaded without the option `transform` (`dequantize`, `binarize`: the
 * reference redoes it for every batch, as genzoo does), as its grey levels k = round(255 x), one byte per
 * value, and its labels (bytes) if it has them. Fails unless the values are 8-bit levels in [0, 1].
 */
export async function trainingBytes(dataset, datasetOptions, transform) {
  const { [transform]: _, ...rest } = datasetOptions;
  const { train } = await loadDataset(dataset, rest);
  const { values } = train;
  if (
    values.kind !== 'continuous' ||
    values.levels !== 256 ||
    values.range[0] !== 0 ||
    values.range[1] !== 1
  ) {
    throw new Error(`the references read 8-bit grey levels in [0, 1], got ${JSON.stringify(values)}`);
  }
  const batch = train.getBatch(Int32Array.from({ length: train.size }, (_, i) => i));
  const bytes = Uint8Array.from(await batch.x.data(), (v) => Math.round(255 * v));
  const labels = batch.labels ? Uint8Array.from(await batch.labels.data()) : undefined;
  tf.dispose([batch.x, batch.labels, batch.condition].filter(Boolean));
  return { bytes, labels };
}

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
