/** The two network roles of a VAE; `build.ts` makes them from the network config. */
import type * as tf from '@tensorflow/tfjs-core';

/** x ↦ the parameters of q(z|x), e.g. [μ, log σ] concatenated. */
export interface Encoder {
  /**
   * `x` [N, D] flattened examples; `condition` [N, C] one-hot labels for conditional models, joined to the
   * input (MLP) or to the flattened convolutional features (conv). Returns [N, outputs].
   */
  apply(x: tf.Tensor2D, condition?: tf.Tensor2D): tf.Tensor2D;
}

/** The decoder input (z, with labels appended for conditional models) ↦ the parameters of p(x|z). */
export interface Decoder {
  /**
   * `input` [N, inputs] ↦ [N, perDim·D + perExample]: the per-pixel parameters in blocks of D (all means, then
   * e.g. all variances), then the per-example ones. Blocks, not interleaved pairs, because slicing a
   * contiguous block is a copy while de-interleaving is a strided gather (4× slower for the likelihood on
   * wasm, which runs for every latent draw of an importance-sampled log p(x)).
   */
  apply(input: tf.Tensor2D): tf.Tensor2D;
  /** The largest activation of one row, in floats: bounds memory when thousands of z are decoded at once. */
  readonly activationsPerRow: number;
}

/** What the likelihood needs the decoder to output. */
export interface DecoderOutputs {
  /** Parameters per data dimension (1 for a mean or logit, 2 with a per-pixel variance). */
  perDim: number;
  /** Parameters per example (1 for a per-image variance). */
  perExample: number;
}
