/**
 * How labels enter the networks of a class-conditional GAN:
 *
 * - generator: a learned label embedding e(y) = yᵀE joined to the noise, G(z, y) = G([z, e(y)]) (the
 *   conditional GAN of Mirza & Osindero 2014, with an embedding instead of the raw one-hot label);
 * - discriminator: the projection discriminator of Miyato & Koyama 2018 ("cGANs with Projection
 *   Discriminator", eq. 3), D(x, y) = ψ(φ(x)) + yᵀVφ(x): an inner product of the class's embedding with the
 *   features φ(x), instead of joining y to the input.
 *
 * y is one-hot, so yᵀE is a matrix product (gather's gradient fails on wasm for such lookups).
 */
import { Dense, initializers, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export class LabelEmbedding {
  private readonly table: tf.Variable;
  constructor(
    store: ParameterStore,
    key: string,
    classes: number,
    readonly dim: number,
  ) {
    this.table = store.create(`${key}/table`, [classes, dim], initializers.glorotUniform());
  }
  apply(oneHot: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(oneHot, this.table as tf.Tensor2D);
  }
}

/** The discriminator's output layer ψ(φ) = wᵀφ + b, plus the projection yᵀVφ when it has classes. */
export class DiscriminatorHead {
  private readonly linear: Dense;
  private readonly projection?: LabelEmbedding;

  constructor(
    store: ParameterStore,
    key: string,
    featureDim: number,
    classes = 0,
    kernelInitializer = initializers.glorotUniform(),
  ) {
    this.linear = new Dense(store, `${key}/linear`, featureDim, 1, kernelInitializer);
    if (classes > 0) this.projection = new LabelEmbedding(store, `${key}/projection`, classes, featureDim);
  }

  /** One output per example, [n]: a logit, or a critic value for the Wasserstein loss. */
  apply(features: tf.Tensor2D, condition?: tf.Tensor2D): tf.Tensor1D {
    const n = features.shape[0];
    let out = tf.reshape(this.linear.apply(features), [n]) as tf.Tensor1D;
    if (this.projection && condition) {
      out = tf.add(out, tf.sum(tf.mul(this.projection.apply(condition), features), 1));
    }
    return out;
  }
}
