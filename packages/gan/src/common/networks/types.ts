/**
 * The two kinds of network every adversarial model is built from. Conditioning (labels, BiGAN's latent
 * input to the discriminator) is composed around them by the models, so one architecture serves all.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Maps an input vector (noise, or noise and a label embedding) to examples [n, ...eventShape]. */
export interface GeneratorNetwork {
  /** `training`: batch norm normalizes with the batch's statistics and updates its running averages. */
  apply(input: tf.Tensor2D, training: boolean): tf.Tensor;
}

/**
 * Maps examples to a feature vector: the body of a discriminator (its output layer is the model's head)
 * or of BiGAN's encoder. Always in training mode: a discriminator is never used for inference.
 */
export interface FeatureNetwork {
  readonly featureDim: number;
  apply(x: tf.Tensor): tf.Tensor2D;
}
