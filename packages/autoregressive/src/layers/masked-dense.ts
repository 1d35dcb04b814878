/**
 * A dense layer whose kernel is multiplied by a fixed 0/1 mask, y = x (W ⊙ M) + b (MADE, Germain et al.
 * 2015, eq. 8–9). A layer may hold several masks (MADE's connectivity ensembles) and applies the one it
 * is asked for. The masks are derived state (rebuilt from the config and seed), not checkpointed.
 */
import { Dense, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export class MaskedDense {
  private readonly dense: Dense;
  private readonly masks: tf.Variable[];

  /** `masks`: row-major [inputDim × outputDim] 0/1 masks. */
  constructor(
    params: ParameterStore,
    key: string,
    inputDim: number,
    outputDim: number,
    masks: Float32Array[],
  ) {
    this.dense = new Dense(params, key, inputDim, outputDim);
    this.masks = masks.map((mask, i) =>
      params.createDerived(`${key}/mask${i}`, [inputDim, outputDim], (shape) => tf.tensor(mask, shape)),
    );
  }

  get maskCount(): number {
    return this.masks.length;
  }

  apply(x: tf.Tensor2D, maskIndex: number): tf.Tensor2D {
    const kernel = tf.mul(this.dense.kernel, this.masks[maskIndex]) as tf.Tensor2D;
    return tf.add(tf.matMul(x, kernel), this.dense.bias);
  }

  /** Mask `maskIndex` [inputDim, outputDim]. */
  mask(maskIndex: number): tf.Variable {
    return this.masks[maskIndex];
  }
}
