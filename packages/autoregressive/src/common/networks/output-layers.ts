/**
 * The output layers of both PixelCNNs, from the last feature map to the head's parameters at every
 * pixel: ReLU → 1 × 1 → ReLU → 1 × 1 (van den Oord et al. 2016, Table 1: "ReLU followed by 1 × 1 conv"
 * twice). They mix channels within a pixel, so they keep the network causal.
 */
import { type ParameterStore, Pointwise } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ReceptiveField } from './types.js';

export class PixelOutputLayers {
  private readonly hidden: Pointwise;
  private readonly params: Pointwise;

  constructor(store: ParameterStore, key: string, channels: number, hidden: number, outputs: number) {
    this.hidden = new Pointwise(store, `${key}/output/hidden`, channels, hidden);
    this.params = new Pointwise(store, `${key}/output/params`, hidden, outputs);
  }

  apply(features: tf.Tensor4D): tf.Tensor4D {
    return this.params.apply(tf.relu(this.hidden.apply(tf.relu(features))) as tf.Tensor4D);
  }
}

/**
 * The field of a stack of causal k × k layers after a first k₁ × k₁ one: each reaches k//2 further up,
 * left and right.
 */
export function stackedReach(firstKernel: number, layers: number, kernelSize: number): ReceptiveField {
  const reach = Math.floor(firstKernel / 2) + layers * Math.floor(kernelSize / 2);
  return { above: reach, left: reach, right: reach };
}
