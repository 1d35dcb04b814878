/**
 * The reference classifier over many images, batch by batch: features and class probabilities come back
 * to the host after every batch, so no more than one batch of images and activations is on the device
 * at a time (10,000 CIFAR images would otherwise hold ~120 MB of input alone).
 */

import type { Dataset, DataValues } from '@genzoo/core';
import { ConfigError, deriveSeed } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureSet } from '../sample-quality/index.js';
import type { ReferenceClassifier } from './network.js';
import { toUnitRange } from './unit-range.js';

/**
 * Images to classify: a tensor [n, ...] already on the device, a Dataset (its first `limit` examples),
 * or batches yielded one at a time (e.g. drawn from a model), each of which is disposed after use.
 */
export type ImageSource = tf.Tensor | Dataset | Iterable<tf.Tensor>;

export interface OutputOptions {
  /** Images per forward pass (default 256). */
  batchSize?: number;
  /** The values' range, mapped to [0, 1]; default: a Dataset's own `values`, else [0, 1]. */
  values?: DataValues;
  /** Only the first `limit` examples of a Dataset (default all). */
  limit?: number;
  /** Seeds a Dataset's per-batch transforms (dynamic binarization, dequantization noise); default 0. */
  seed?: number;
}

export interface ClassifierOutputs {
  /** Penultimate features, [count, featureDim] row-major. */
  features: FeatureSet;
  /** Class probabilities, [count, classes] row-major. */
  probabilities: Float32Array;
  count: number;
  classes: number;
}

const UNIT: DataValues = { kind: 'continuous', range: [0, 1] };

function isDataset(source: ImageSource): source is Dataset {
  return typeof (source as Partial<Dataset>).getBatch === 'function';
}

export async function classifierOutputs(
  classifier: ReferenceClassifier,
  source: ImageSource,
  options: OutputOptions = {},
): Promise<ClassifierOutputs> {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const features: Float32Array[] = [];
  const probabilities: Float32Array[] = [];
  let count = 0;
  const classify = async (images: tf.Tensor, values: DataValues) => {
    const n = images.shape[0] ?? 0;
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const out = tf.tidy(() => {
        const x = toUnitRange(n === size ? images : tf.slice(images, start, size), values);
        const { features, logits } = classifier.featuresAndLogits(x);
        return { features, probabilities: tf.softmax(logits) };
      });
      try {
        features.push((await out.features.data()) as Float32Array);
        probabilities.push((await out.probabilities.data()) as Float32Array);
      } finally {
        tf.dispose(out);
      }
      count += size;
    }
  };

  if (source instanceof tf.Tensor) {
    await classify(source, options.values ?? UNIT);
  } else if (isDataset(source)) {
    const total = Math.min(options.limit ?? source.size, source.size);
    for (let start = 0, b = 0; start < total; start += batchSize, b++) {
      const indices = Int32Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => start + i);
      const batch = source.getBatch(indices, { seed: deriveSeed(options.seed ?? 0, 'classifier/data', b) });
      try {
        await classify(batch.x, options.values ?? source.values);
      } finally {
        tf.dispose(Object.values(batch));
      }
    }
  } else {
    for (const images of source) {
      try {
        await classify(images, options.values ?? UNIT);
      } finally {
        images.dispose();
      }
    }
  }
  const { featureDim, numClasses } = classifier;
  return {
    features: { values: concat(features, count * featureDim), count, dim: featureDim },
    probabilities: concat(probabilities, count * numClasses),
    count,
    classes: numClasses,
  };
}

function concat(parts: Float32Array[], length: number): Float32Array {
  const out = new Float32Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
