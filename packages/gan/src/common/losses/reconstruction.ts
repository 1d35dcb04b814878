/**
 * The reconstruction (cycle-consistency) distance of the translation models: ‖x − y‖₁ as the mean absolute
 * difference per pixel, as in the CycleGAN and StarGAN papers' code (CycleGAN's λ_cyc term, StarGAN's L_rec).
 */
import * as tf from '@tensorflow/tfjs-core';

export const meanAbsoluteDifference = (x: tf.Tensor, y: tf.Tensor) =>
  tf.mean(tf.abs(tf.sub(x, y))) as tf.Scalar;
