/**
 * A dense layer whose kernel is multiplied by a fixed 0/1 mask, y = x (W ⊙ M) + b (MADE, Germain et al.
 * 2015, eq. 8–9). A layer may hold several masks (MADE's connectivity ensembles) and applies the one it
 * is asked for. The masks are derived state (rebuilt from the config and seed), not checkpointed.
 */
import { Dense, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Freezable, FrozenKernels } from './frozen-kernels.js';

export class MaskedDense implements Freezable {
  private readonly dense: Dense;
  private readonly masks: tf.Variable[];
  private readonly kernels: FrozenKernels;

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
    this.kernels = new FrozenKernels(this.dense.kernel, this.masks);
  }

  apply(x: tf.Tensor2D, maskIndex: number): tf.Tensor2D {
    const kernel = this.kernels.masked(maskIndex) as tf.Tensor2D;
    return tf.fused.matMul({ a: x, b: kernel, bias: this.dense.bias }) as tf.Tensor2D;
  }

  freeze(): void {
    this.kernels.freeze();
  }

  thaw(): void {
    this.kernels.thaw();
  }
}
