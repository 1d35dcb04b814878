/**
 * The bijector contract: the building block of every flow, and what plugin authors extend.
 *
 * A bijector f maps examples of its input event shape one-to-one onto its output event shape. Flows are
 * written in the normalizing direction, data x → latent z:
 *
 *   forward(x) = { y: f(x),    logDet: log |det ∂f/∂x| }        per example, shape [batch]
 *   inverse(y) = { y: f⁻¹(y),  logDet: log |det ∂f⁻¹/∂y| }      = −(forward's logDet at f⁻¹(y))
 *
 * so a flow's density is log p(x) = log p_Z(f(x)) + forward(x).logDet, and sampling runs the inverse on
 * base draws. Both directions return the same `{ y, logDet }` pair: `y` is the output of the direction
 * called. An optional context tensor (class labels, another network's features) may condition the map.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface FlowResult {
  /** The transformed examples, [batch, ...outputShape] (forward) or [batch, ...inputShape] (inverse). */
  y: tf.Tensor;
  /** log |det| of the Jacobian of the direction that was called, per example: [batch]. */
  logDet: tf.Tensor1D;
}

export interface Bijector {
  /** What the layer is, e.g. `affine-coupling(checkerboard, even)`; pictures and errors use it. */
  readonly name: string;
  /** Event shape of x, the input of `forward`. */
  readonly inputShape: readonly number[];
  /** Event shape of f(x), the input of `inverse`. */
  readonly outputShape: readonly number[];
  forward(x: tf.Tensor, context?: tf.Tensor): FlowResult;
  inverse(y: tf.Tensor, context?: tf.Tensor): FlowResult;
  /**
   * Data-dependent initialization (ActNorm) on a batch of this layer's inputs; layers without such state
   * leave it out. Composites initialize their layers in order, each on its predecessor's outputs.
   */
  initialize?(x: tf.Tensor): void;
  /** Layers made of other layers list them (pictures trace samples through each). */
  readonly children?: readonly Bijector[];
}
