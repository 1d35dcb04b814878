/**
 * A fixed permutation of the last axis (channels of images, dimensions of vectors): `reverse` (NICE and
 * RealNVP between couplings) or a seeded `random` permutation (MAF between autoregressive layers, Glow's
 * shuffle baseline). A permutation matrix has |det| = 1, so log |det| = 0. The random permutation is a
 * product with the permutation matrix: tfjs's gather has no gradient on wasm (UnsortedSegmentSum).
 */
import { type ParameterStore, Random } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';
import { channelsOf } from './shapes.js';

export type PermutationKind = 'reverse' | 'random';

export class Permutation implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** y[..., i] = x[..., order[i]]. */
  readonly order: Int32Array;
  private readonly matrix?: tf.Tensor2D;

  constructor(
    params: ParameterStore,
    key: string,
    eventShape: readonly number[],
    kind: PermutationKind,
    seed: number,
  ) {
    const c = channelsOf(eventShape);
    this.name = `permutation(${kind})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.order =
      kind === 'reverse'
        ? Int32Array.from({ length: c }, (_, i) => c - 1 - i)
        : new Random(seed).permutation(c);
    if (kind === 'random') {
      const values = new Float32Array(c * c);
      // Column i of P picks x[order[i]]: (x P)[i] = x[order[i]].
      this.order.forEach((from, to) => {
        values[from * c + to] = 1;
      });
      this.matrix = params.createDerived(`${key}/matrix`, [c, c], () =>
        tf.tensor2d(values, [c, c]),
      ) as tf.Tensor2D;
    }
  }

  private apply(x: tf.Tensor, transpose: boolean): tf.Tensor {
    if (!this.matrix) return tf.reverse(x, -1);
    const c = this.order.length;
    const rows = tf.reshape(x, [-1, c]) as tf.Tensor2D;
    return tf.reshape(tf.matMul(rows, transpose ? tf.transpose(this.matrix) : this.matrix), x.shape);
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => ({ y: this.apply(x, false), logDet: tf.zeros([x.shape[0]]) as tf.Tensor1D }));
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => ({ y: this.apply(y, true), logDet: tf.zeros([y.shape[0]]) as tf.Tensor1D }));
  }
}
