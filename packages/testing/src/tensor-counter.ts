import type { TrainerCallback } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

/** Tensor counts after every step, to check that training does not leak. */
export class TensorCounter implements TrainerCallback {
  readonly counts: number[] = [];
  onStepEnd(): void {
    this.counts.push(tf.memory().numTensors);
  }
}
