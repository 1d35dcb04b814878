/**
 * Multilayer perceptrons for vectors or flattened images (Goodfellow et al. 2014 used maxout networks;
 * ReLU / leaky ReLU MLPs are the standard replacement): the generator with ReLU hidden layers (batch norm
 * optional) and the output nonlinearity; the discriminator body with leaky ReLU (slope 0.2) hidden layers.
 */
import { activate, BatchNorm, Dense, eventSize, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { MlpNetworkConfig } from '../config/network.js';
import type { OutputActivation } from './output.js';
import type { FeatureNetwork, GeneratorNetwork } from './types.js';

export class MlpGenerator implements GeneratorNetwork {
  private readonly hidden: Dense[] = [];
  private readonly norms: BatchNorm[] = [];
  private readonly out: Dense;

  constructor(
    store: ParameterStore,
    key: string,
    inputDim: number,
    private readonly eventShape: readonly number[],
    private readonly output: OutputActivation,
    config: MlpNetworkConfig,
  ) {
    let width = inputDim;
    config.generatorHidden.forEach((size, i) => {
      this.hidden.push(new Dense(store, `${key}/dense${i}`, width, size));
      if (config.generatorBatchNorm) this.norms.push(new BatchNorm(store, `${key}/norm${i}`, size));
      width = size;
    });
    this.out = new Dense(store, `${key}/out`, width, eventSize(eventShape));
  }

  apply(input: tf.Tensor2D, training: boolean): tf.Tensor {
    let h = input;
    this.hidden.forEach((layer, i) => {
      h = layer.apply(h);
      if (this.norms.length > 0) h = this.norms[i].apply(h, training);
      h = tf.relu(h);
    });
    const x = activate(this.out.apply(h), this.output);
    return tf.reshape(x, [input.shape[0], ...this.eventShape]);
  }
}

export class MlpFeatures implements FeatureNetwork {
  readonly featureDim: number;
  private readonly hidden: Dense[] = [];

  constructor(store: ParameterStore, key: string, eventShape: readonly number[], hidden: readonly number[]) {
    let width = eventSize(eventShape);
    hidden.forEach((size, i) => {
      this.hidden.push(new Dense(store, `${key}/dense${i}`, width, size));
      width = size;
    });
    this.featureDim = width;
  }

  apply(x: tf.Tensor): tf.Tensor2D {
    let h = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
    for (const layer of this.hidden) h = tf.leakyRelu(layer.apply(h), 0.2);
    return h;
  }
}
