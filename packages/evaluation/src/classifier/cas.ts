/**
 * Classification Accuracy Score (Ravuri & Vinyals 2019, "Classification Accuracy Score for Conditional
 * Generative Models"; used to judge VQ-VAE-2): train a classifier on labelled *generated* images only and
 * report its accuracy on *real* test images. A conditional model scores high only if its samples of
 * each class carry what distinguishes that class in real data, in its variety — which FID-like metrics
 * on unlabelled features cannot tell. The paper's baseline is the same classifier trained on real data.
 */
import type { Dataset } from '@genzoo/core';
import type { ClassifierConfigInput } from './config.js';
import { type ClassifierProgress, trainClassifier } from './train.js';

export interface ClassificationAccuracyOptions {
  /** Generated images with the labels they were drawn for (values in the data's range). */
  samples: Dataset;
  /** Real labelled test images. */
  test: Dataset;
  config?: ClassifierConfigInput;
  /**
   * Real labelled training images: when given, the same classifier trained on them gives `realAccuracy`
   * (pass as many as there are samples for a like-for-like baseline).
   */
  real?: Dataset;
  onProgress?: ClassifierProgress;
}

export interface ClassificationAccuracy {
  /** Accuracy on real test images of the classifier trained on generated ones. */
  cas: number;
  /** Accuracy of the classifier trained on real images instead (the baseline), when `real` was given. */
  realAccuracy?: number;
}

export async function classificationAccuracyScore(
  options: ClassificationAccuracyOptions,
): Promise<ClassificationAccuracy> {
  const { samples, test, config, onProgress } = options;
  const accuracyOn = async (train: Dataset) => {
    const trained = await trainClassifier({ train, test, config, onProgress });
    trained.classifier.dispose();
    return trained.testAccuracy;
  };
  const cas = await accuracyOn(samples);
  if (!options.real) return { cas };
  return { cas, realAccuracy: await accuracyOn(options.real) };
}
