/**
 * A bijector run backwards: forward is the wrapped layer's inverse and vice versa. The inverse of a
 * masked autoregressive flow layer is an inverse autoregressive flow layer (Kingma et al. 2016;
 * Papamakarios et al. 2017, §3.3): fast to sample, sequential to evaluate.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';

export class Inverse implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(private readonly layer: Bijector) {
    this.name = `inverse(${layer.name})`;
    this.inputShape = layer.outputShape;
    this.outputShape = layer.inputShape;
  }

  forward(x: tf.Tensor, context?: tf.Tensor): FlowResult {
    return this.layer.inverse(x, context);
  }

  inverse(y: tf.Tensor, context?: tf.Tensor): FlowResult {
    return this.layer.forward(y, context);
  }
}
