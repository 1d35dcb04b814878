/**
 * BiGAN's discriminator head over pairs (x, z): the features φ(x) of the discriminator body joined to the
 * latent z, then leaky-ReLU (0.2) layers and one output, the logit of D(x, z) (Donahue et al. 2017, §3).
 */
import { Dense, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export class JointHead {
  private readonly hidden: Dense[] = [];
  private readonly out: Dense;

  constructor(
    store: ParameterStore,
    key: string,
    featureDim: number,
    latentDim: number,
    hidden: readonly number[],
  ) {
    let width = featureDim + latentDim;
    hidden.forEach((size, i) => {
      this.hidden.push(new Dense(store, `${key}/dense${i}`, width, size));
      width = size;
    });
    this.out = new Dense(store, `${key}/out`, width, 1);
  }

  apply(features: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
    let h = tf.concat([features, z], 1);
    for (const layer of this.hidden) h = tf.leakyRelu(layer.apply(h), 0.2);
    return tf.reshape(this.out.apply(h), [-1]) as tf.Tensor1D;
  }
}
