/**
 * How an affine coupling turns its conditioner's raw output into a log-scale s, bounded for stability:
 *
 * - `tanh`    s = a ⊙ tanh(raw), a learned per channel (RealNVP's reference code): |s| ≤ |a|.
 * - `sigmoid` s = log σ(raw + 2) (Glow's reference code): scales in (0, 1), about 0.88 at raw = 0, so a
 *   coupling can only contract and never explode.
 * - `exp`     s = raw, unbounded (the paper's plain form; fine for shallow flows).
 */
import { initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export type ScaleKind = 'tanh' | 'sigmoid' | 'exp';

export class LogScale {
  private readonly factor?: tf.Variable;

  constructor(
    readonly kind: ScaleKind,
    params: ParameterStore,
    key: string,
    channels: number,
  ) {
    if (kind === 'tanh') this.factor = params.create(`${key}/scale-factor`, [channels], initializers.ones());
  }

  apply(raw: tf.Tensor): tf.Tensor {
    switch (this.kind) {
      case 'tanh':
        return tf.mul(this.factor!, tf.tanh(raw));
      case 'sigmoid':
        // log σ(v) = −softplus(−v): stable, and differentiable twice (tfjs's logSigmoid is a custom op).
        return tf.neg(tf.softplus(tf.neg(tf.add(raw, 2))));
      case 'exp':
        return raw;
    }
  }
}
