/**
 * Small functional layers over a ParameterStore, shared by every plugin: dense, MLP and 2-D (transposed)
 * convolutions in NHWC. They hold variables, not tensors, so `apply` can run inside tf.tidy/tf.grad.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, initializers, type ParameterStore } from './params.js';

export type Activation = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'elu' | 'softplus' | 'linear';

export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.2);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'linear':
      return x;
  }
}

export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  constructor(
    params: ParameterStore,
    key: string,
    inputDim: number,
    outputDim: number,
    kernelInitializer: Initializer = initializers.glorotUniform(),
  ) {
    this.kernel = params.create(`${key}/kernel`, [inputDim, outputDim], kernelInitializer);
    this.bias = params.create(`${key}/bias`, [outputDim], initializers.zeros());
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }
}

/** Dense layers with an activation between them (none after the last). */
export class MLP {
  readonly layers: Dense[];
  constructor(
    params: ParameterStore,
    key: string,
    sizes: number[],
    private readonly activation: Activation = 'relu',
  ) {
    this.layers = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      this.layers.push(new Dense(params, `${key}/dense${i}`, sizes[i], sizes[i + 1]));
    }
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.apply(h);
      if (i < this.layers.length - 1) h = activate(h, this.activation) as tf.Tensor2D;
    });
    return h;
  }
}

export interface ConvOptions {
  kernelSize: number;
  stride?: number;
  padding?: 'same' | 'valid';
  /** Default Glorot uniform; DCGAN initializes N(0, 0.02²). */
  kernelInitializer?: Initializer;
}

export class Conv2D {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  private readonly stride: number;
  private readonly padding: 'same' | 'valid';
  constructor(
    params: ParameterStore,
    key: string,
    inChannels: number,
    outChannels: number,
    options: ConvOptions,
  ) {
    const k = options.kernelSize;
    this.kernel = params.create(
      `${key}/kernel`,
      [k, k, inChannels, outChannels],
      options.kernelInitializer ?? initializers.glorotUniform(),
    );
    this.bias = params.create(`${key}/bias`, [outChannels], initializers.zeros());
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 'same';
  }
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.add(tf.conv2d(x, this.kernel as tf.Tensor4D, this.stride, this.padding), this.bias);
  }
}

/** Transposed convolution; with 'same' padding the output is input × stride in each spatial dimension. */
export class Conv2DTranspose {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  private readonly stride: number;
  private readonly padding: 'same' | 'valid';
  private readonly kernelSize: number;
  private readonly outChannels: number;
  constructor(
    params: ParameterStore,
    key: string,
    inChannels: number,
    outChannels: number,
    options: ConvOptions,
  ) {
    const k = options.kernelSize;
    // tfjs stores conv2dTranspose filters as [kh, kw, outChannels, inChannels].
    this.kernel = params.create(
      `${key}/kernel`,
      [k, k, outChannels, inChannels],
      options.kernelInitializer ?? initializers.glorotUniform(),
    );
    this.bias = params.create(`${key}/bias`, [outChannels], initializers.zeros());
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 'same';
    this.kernelSize = k;
    this.outChannels = outChannels;
  }
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [n, h, w] = x.shape;
    const s = this.stride;
    const outShape: [number, number, number, number] =
      this.padding === 'same'
        ? [n, h * s, w * s, this.outChannels]
        : [n, (h - 1) * s + this.kernelSize, (w - 1) * s + this.kernelSize, this.outChannels];
    return tf.add(tf.conv2dTranspose(x, this.kernel as tf.Tensor4D, outShape, s, this.padding), this.bias);
  }
}

/**
 * A 1 × 1 convolution as what it is, a dense layer over the channels of every pixel: [B, H, W, C] is read
 * as [B·H·W, C] rows. On wasm this runs the forward and both gradients as XNNPACK matrix products;
 * conv2d's filter gradient with a 1 × 1 kernel is a convolution with an H × W "filter" instead, ten
 * times slower than the product it equals.
 */
export class Pointwise {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(params: ParameterStore, key: string, inChannels: number, outChannels: number) {
    const dense = new Dense(params, key, inChannels, outChannels);
    this.kernel = dense.kernel;
    this.bias = dense.bias;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const [batch, height, width, channels] = x.shape;
      const rows = tf.reshape(x, [batch * height * width, channels]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: rows, b: this.kernel as tf.Tensor2D, bias: this.bias });
      return tf.reshape(y, [batch, height, width, -1]) as tf.Tensor4D;
    });
  }
}
