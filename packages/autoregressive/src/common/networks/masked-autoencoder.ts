/**
 * MADE's network (Germain et al. 2015): an MLP whose weights are masked so that output d — here P
 * parameters of the conditional of dimension d — depends only on inputs before d in the ordering
 * (see common/masks/degrees.ts). It holds one or several mask sets (orderings/connectivities) and applies
 * the one asked for. An optional context vector (class labels; a flow's conditioning input) enters the first
 * layer through an unmasked dense layer, since context may inform every conditional.
 *
 * Masked autoregressive flows use exactly this network as their conditioner (P = 2: shift and
 * log-scale), so it is exported on its own.
 */
import { type Activation, activate, Dense, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Freezable } from '../layers/frozen-kernels.js';
import { MaskedDense } from '../layers/masked-dense.js';
import { type MaskSet, orderOf } from '../masks/degrees.js';

export interface MaskedAutoencoderOptions {
  /** D, the dimensions of x. */
  dims: number;
  hidden: readonly number[];
  /** Outputs per dimension P. */
  paramsPerDim: number;
  /** The mask sets, each from `maskSet(dims, hidden, …)`. */
  maskSets: readonly MaskSet[];
  activation?: Activation;
  /** Size of the context vector, 0 (default) for none. */
  contextDim?: number;
}

export class MaskedAutoencoder implements Freezable {
  readonly dims: number;
  readonly paramsPerDim: number;
  /** For each mask set, the dimensions in the order it generates them. */
  readonly orders: Int32Array[];
  private readonly layers: MaskedDense[] = [];
  private readonly context?: Dense;
  private readonly activation: Activation;

  constructor(params: ParameterStore, key: string, options: MaskedAutoencoderOptions) {
    const { dims, hidden, paramsPerDim, maskSets } = options;
    if (maskSets.length === 0) throw new RangeError('MaskedAutoencoder: at least one mask set is needed');
    this.dims = dims;
    this.paramsPerDim = paramsPerDim;
    this.activation = options.activation ?? 'relu';
    this.orders = maskSets.map((set) => orderOf(set.inputDegrees));
    const sizes = [dims, ...hidden];
    for (let l = 0; l < hidden.length; l++) {
      this.layers.push(
        new MaskedDense(
          params,
          `${key}/hidden${l}`,
          sizes[l],
          sizes[l + 1],
          maskSets.map((set) => set.masks[l]),
        ),
      );
    }
    const last = sizes[sizes.length - 1];
    // Output unit d·P + p belongs to dimension d: its mask column is dimension d's.
    const outputMasks = maskSets.map((set) =>
      repeatColumns(set.masks[hidden.length], last, dims, paramsPerDim),
    );
    this.layers.push(new MaskedDense(params, `${key}/output`, last, dims * paramsPerDim, outputMasks));
    if ((options.contextDim ?? 0) > 0) {
      const firstOutputs = hidden.length > 0 ? hidden[0] : dims * paramsPerDim;
      this.context = new Dense(params, `${key}/context`, options.contextDim!, firstOutputs);
    }
  }

  freeze(): void {
    for (const layer of this.layers) layer.freeze();
  }

  thaw(): void {
    for (const layer of this.layers) layer.thaw();
  }

  get maskSets(): number {
    return this.orders.length;
  }

  /** Parameters [B, D, P] of every conditional, with mask set `maskIndex`. */
  apply(x: tf.Tensor2D, maskIndex = 0, context?: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      let h: tf.Tensor2D = x;
      this.layers.forEach((layer, l) => {
        h = layer.apply(h, maskIndex);
        if (l === 0 && this.context && context) h = tf.add(h, this.context.apply(context));
        if (l < this.layers.length - 1) h = activate(h, this.activation) as tf.Tensor2D;
      });
      return tf.reshape(h, [x.shape[0], this.dims, this.paramsPerDim]);
    });
  }
}

/** A row-major [rows × cols] mask with each column repeated `times` times in place: [rows × cols·times]. */
function repeatColumns(mask: Float32Array, rows: number, cols: number, times: number): Float32Array {
  if (times === 1) return mask;
  const out = new Float32Array(rows * cols * times);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out.fill(mask[r * cols + c], (r * cols + c) * times, (r * cols + c + 1) * times);
    }
  }
  return out;
}
