/**
 * NADE, the neural autoregressive distribution estimator (Larochelle & Murray, AISTATS 2011), for binary
 * vectors in their natural order:
 *
 *   a_1 = c,  a_{d+1} = a_d + x_d W_d              (W: D × H input weights, row W_d; shared by all conditionals)
 *   h_d = σ(a_d)
 *   p(x_d = 1 | x_<d) = σ(b_d + V_d · h_d)           (V: D × H output weights)
 *
 * The running sum makes all D hidden vectors cost O(DH) together: a_d = c + Σ_{j<d} x_j W_j, an
 * exclusive cumulative sum over d, which is how the training pass computes them at once ([B, H, D]).
 * Sampling computes a_d = c + x_{<d} W_{<d} for the one d it draws.
 */
import { initializers, type ModelContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { BernoulliHead } from '../common/heads/bernoulli.js';
import { AutoregressiveModel } from '../common/models/autoregressive-model.js';

export interface NadeSettings {
  hidden: number;
}

export class Nade<Config extends NadeSettings> extends AutoregressiveModel<Config> {
  private readonly w: tf.Variable;
  private readonly c: tf.Variable;
  private readonly v: tf.Variable;
  private readonly b: tf.Variable;
  private readonly dims: number;

  constructor(name: string, config: Config, context: ModelContext) {
    const dims = context.eventShape.reduce((a, b) => a * b, 1);
    super(name, config, context.eventShape, [dims], 1, new BernoulliHead(), context.seed, 0);
    this.dims = dims;
    const h = config.hidden;
    this.w = this.store.create('input/kernel', [dims, h], initializers.glorotUniform());
    this.c = this.store.create('input/bias', [h], initializers.zeros());
    this.v = this.store.create('output/kernel', [dims, h], initializers.glorotUniform());
    this.b = this.store.create('output/bias', [dims], initializers.zeros());
  }

  /** Logits [B, D, 1] of p(x_d = 1 | x_<d) for every d. */
  networkParams(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0], this.dims]);
      // a_d = c + Σ_{j<d} x_j W_j, laid out [B, H, D]: tfjs's Cumsum gradient is correct only when the
      // summed axis is the last one.
      const contributions = tf.mul(tf.expandDims(flat, 1), tf.expandDims(tf.transpose(this.w), 0));
      const a = tf.add(tf.cumsum(contributions, 2, true), tf.expandDims(this.c, 1));
      const logits = tf.add(tf.sum(tf.mul(tf.sigmoid(a), tf.transpose(this.v)), 1), this.b);
      return tf.expandDims(logits, 2);
    });
  }

  /** The logit of dimension d alone: a_d = c + (x ⊙ 1[j < d]) W, one [B, D] × [D, H] product. */
  override positionParams(x: tf.Tensor, position: number): tf.Tensor2D {
    return tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0], this.dims]) as tf.Tensor2D;
      const before = tf.tensor2d(
        Float32Array.from({ length: this.dims }, (_, j) => (j < position ? 1 : 0)),
        [1, this.dims],
      );
      const a = tf.add(tf.matMul(tf.mul(flat, before) as tf.Tensor2D, this.w as tf.Tensor2D), this.c);
      const vRow = tf.slice(this.v, [position, 0], [1, -1]);
      const bRow = tf.slice(this.b, [position], [1]);
      return tf.add(tf.sum(tf.mul(tf.sigmoid(a), vRow), 1, true), bRow) as tf.Tensor2D;
    });
  }
}
