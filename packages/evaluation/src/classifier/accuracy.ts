/** Top-1 accuracy of the reference classifier on a labelled dataset, in dataset order, batch by batch. */

import type { Dataset } from '@genzoo/core';
import { DataError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ReferenceClassifier } from './network.js';
import { toUnitRange } from './unit-range.js';

export async function classifierAccuracy(
  classifier: ReferenceClassifier,
  data: Dataset,
  batchSize = 256,
): Promise<number> {
  let correct = 0;
  let total = 0;
  for (const batch of data.batches({ batchSize })) {
    try {
      if (!batch.labels) throw new DataError(`${data.name} has no labels to measure accuracy on`);
      const labels = batch.labels;
      const hits = tf.tidy(() => {
        const predicted = tf.argMax(classifier.logits(toUnitRange(batch.x, data.values)), 1);
        return tf.sum(tf.cast(tf.equal(predicted, labels), 'int32'));
      });
      correct += (await hits.data())[0];
      hits.dispose();
      total += labels.shape[0];
    } finally {
      tf.dispose(Object.values(batch));
    }
  }
  if (total === 0) throw new DataError(`cannot measure accuracy on ${data.name}: it is empty`);
  return correct / total;
}
