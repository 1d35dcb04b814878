/**
 * Sample quality of a generative model on image data, through the reference classifier: n generated
 * images against the first n real test images, compared by
 *
 * - classifier_fd: the Fréchet distance of Gaussians fitted to the two feature sets (FID's formula,
 *   Heusel et al. 2017), with classifier_kid ± classifier_kid_stderr its unbiased kernel counterpart
 *   (KID, Bińkowski et al. 2018);
 * - classifier_score ± classifier_score_std: exp E KL(p(y|x) ‖ p(y)) of the generated images (the
 *   Inception score of Salimans et al. 2016);
 * - precision and recall: how many generated images fall in the real images' feature manifold and how
 *   much of it they cover (Kynkäänniemi et al. 2019).
 *
 * The `classifier_` prefix marks numbers that depend on genzoo's per-dataset classifier: they rank models
 * scored with the same classifier and are not the Inception-v3 FID, KID and IS of papers.
 */

import type { Dataset, DataValues } from '@genzoo/core';
import { ConfigError, deriveSeed, ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  classifierScore,
  frechetDistance,
  kernelDistance,
  precisionRecall,
} from '../sample-quality/index.js';
import type { ReferenceClassifier } from './network.js';
import { classifierOutputs } from './outputs.js';

/** Fewest images the metrics are computed on (KID's blocks and the k-NN radii need a few per set). */
export const MIN_SAMPLE_QUALITY_N = 20;

export interface SampleQualityOptions {
  classifier: ReferenceClassifier;
  /** Real images: the test split as the scored run sees it; its first n examples are used. */
  real: Dataset;
  /** n generated images: one tensor, or batches (each disposed after use). */
  samples: tf.Tensor | Iterable<tf.Tensor>;
  n: number;
  /** The range the samples live in (the training data's `values`), mapped to [0, 1]. */
  values: DataValues;
  /** Seeds the real data's transforms and KID's blocks (default 0). */
  seed?: number;
  /** Images per classifier pass (default 256). */
  batchSize?: number;
}

export interface SampleQuality {
  classifier_fd: number;
  classifier_kid: number;
  classifier_kid_stderr: number;
  classifier_score: number;
  classifier_score_std: number;
  precision: number;
  recall: number;
  n: number;
}

export async function sampleQuality(options: SampleQualityOptions): Promise<SampleQuality> {
  const { classifier, real, n, seed = 0, batchSize } = options;
  if (!Number.isInteger(n) || n < MIN_SAMPLE_QUALITY_N) {
    throw new ConfigError(`sample quality needs n ≥ ${MIN_SAMPLE_QUALITY_N} images, got ${n}`);
  }
  if (real.size < n) {
    throw new ConfigError(`n = ${n} exceeds the ${real.size} real images of ${real.name}`);
  }
  const realOutputs = await classifierOutputs(classifier, real, {
    limit: n,
    batchSize,
    seed: deriveSeed(seed, 'sample-quality/real'),
  });
  const fake = await classifierOutputs(classifier, options.samples, { values: options.values, batchSize });
  if (fake.count !== n)
    throw new ShapeError(`sample quality: expected ${n} generated images, got ${fake.count}`);
  const kid = kernelDistance(realOutputs.features, fake.features, {
    blocks: Math.min(10, Math.floor(n / 10)),
    seed: deriveSeed(seed, 'sample-quality/kid'),
  });
  const score = classifierScore(fake.probabilities, n, fake.classes, { splits: Math.min(10, n) });
  const { precision, recall } = precisionRecall(realOutputs.features, fake.features);
  return {
    classifier_fd: frechetDistance(realOutputs.features, fake.features),
    classifier_kid: kid.kid,
    classifier_kid_stderr: kid.stderr,
    classifier_score: score.mean,
    classifier_score_std: score.std,
    precision,
    recall,
    n,
  };
}
