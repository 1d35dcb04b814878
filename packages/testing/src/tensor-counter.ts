import type { TrainerCallback } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A Trainer callback that records the number of live tensors after every step, to check that training
 * does not leak: pass it in `callbacks`, then check `counts` with {@link assertSteadyTensorCount}.
 *
 * @example
 * ```ts
 * const counter = new TensorCounter();
 * await new Trainer({ model, modelRef, train, config, callbacks: [counter] }).run();
 * assertSteadyTensorCount(counter.counts);
 * ```
 */
export class TensorCounter implements TrainerCallback {
  /** `tf.memory().numTensors` after each step, in step order. */
  readonly counts: number[] = [];
  onStepEnd(): void {
    this.counts.push(tf.memory().numTensors);
  }
}
