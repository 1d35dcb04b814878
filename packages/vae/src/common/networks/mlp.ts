/**
 * Multilayer-perceptron encoder and decoder (Kingma & Welling 2014, App. C; Burda et al. 2016 use tanh):
 *
 *   encoder  [x, y] → h₁ → … → h_L → outputs          decoder  [z, y] → h_L → … → h₁ → outputs
 *
 * with hᵢ = a(Wᵢ hᵢ₋₁ + bᵢ) and a linear output layer; the decoder's hidden sizes are the encoder's reversed.
 */
import { type Activation, MLP, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Decoder, Encoder } from './types.js';

export class MlpEncoder implements Encoder {
  private readonly mlp: MLP;

  constructor(
    store: ParameterStore,
    key: string,
    inputs: number,
    hidden: number[],
    outputs: number,
    activation: Activation,
  ) {
    this.mlp = new MLP(store, key, [inputs, ...hidden, outputs], activation);
  }

  apply(x: tf.Tensor2D, condition?: tf.Tensor2D): tf.Tensor2D {
    return this.mlp.apply(condition ? tf.concat([x, condition], 1) : x);
  }
}

export class MlpDecoder implements Decoder {
  readonly activationsPerRow: number;
  private readonly mlp: MLP;

  /** `hidden` as configured for the encoder (input side first); the decoder runs through it reversed. */
  constructor(
    store: ParameterStore,
    key: string,
    inputs: number,
    hidden: number[],
    outputs: number,
    activation: Activation,
  ) {
    const sizes = [inputs, ...[...hidden].reverse(), outputs];
    this.mlp = new MLP(store, key, sizes, activation);
    this.activationsPerRow = Math.max(...sizes);
  }

  apply(input: tf.Tensor2D): tf.Tensor2D {
    return this.mlp.apply(input);
  }
}
