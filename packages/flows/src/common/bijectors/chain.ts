/**
 * A composite bijector f = f_K ∘ … ∘ f_1: forward runs the layers in order and sums their log-dets,
 * inverse runs them backwards (the chain rule for Jacobian determinants:
 * log |det ∂f/∂x| = Σ_k log |det ∂f_k/∂h_{k−1}|).
 */
import { ConfigError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from './bijector.js';
import { checkEvent } from './shapes.js';

export class Chain implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(
    readonly children: readonly Bijector[],
    name = 'chain',
  ) {
    if (children.length === 0) throw new ConfigError(`${name}: a chain needs at least one layer`);
    for (let k = 1; k < children.length; k++) {
      const [before, after] = [children[k - 1], children[k]];
      if (before.outputShape.join() !== after.inputShape.join()) {
        throw new ConfigError(
          `${name}: layer ${k} (${after.name}) takes [${after.inputShape}] but layer ${k - 1} (${before.name}) gives [${before.outputShape}]`,
        );
      }
    }
    this.name = name;
    this.inputShape = children[0].inputShape;
    this.outputShape = children[children.length - 1].outputShape;
  }

  forward(x: tf.Tensor, context?: tf.Tensor): FlowResult {
    checkEvent(this.name, x, this.inputShape);
    return this.run(this.children, x, (layer, h) => layer.forward(h, context));
  }

  inverse(y: tf.Tensor, context?: tf.Tensor): FlowResult {
    checkEvent(this.name, y, this.outputShape);
    return this.run([...this.children].reverse(), y, (layer, h) => layer.inverse(h, context));
  }

  initialize(x: tf.Tensor): void {
    tf.tidy(() => {
      let h = x;
      for (const layer of this.children) {
        layer.initialize?.(h);
        h = layer.forward(h).y;
      }
    });
  }

  /**
   * The inverse pass with every intermediate value: z, then after each layer in sampling order, ending
   * at x. Labels are the layers' names. The caller owns the tensors.
   */
  inverseTrace(z: tf.Tensor, context?: tf.Tensor): Array<{ label: string; values: tf.Tensor }> {
    const trace = [{ label: 'base', values: tf.clone(z) }];
    let h = z;
    for (const layer of [...this.children].reverse()) {
      const { y, logDet } = layer.inverse(h, context);
      logDet.dispose();
      trace.push({ label: layer.name, values: y });
      h = y;
    }
    return trace;
  }

  private run(
    layers: readonly Bijector[],
    input: tf.Tensor,
    step: (layer: Bijector, h: tf.Tensor) => FlowResult,
  ): FlowResult {
    return tf.tidy(() => {
      let h = input;
      let logDet = tf.zeros([input.shape[0]]) as tf.Tensor1D;
      for (const layer of layers) {
        const out = step(layer, h);
        h = out.y;
        logDet = tf.add(logDet, out.logDet);
      }
      return { y: h, logDet };
    });
  }
}
