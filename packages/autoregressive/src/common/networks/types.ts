/** The contract of the image networks (PixelCNN, Gated PixelCNN) the image models run. */
import type * as tf from '@tensorflow/tfjs-core';
import type { Freezable } from '../layers/frozen-kernels.js';

/** How far the output at pixel (r, c) reaches: rows r − above … r, columns c − left … c + right. */
export interface ReceptiveField {
  above: number;
  left: number;
  right: number;
}

/** Freezable: sampling fixes the network's masked kernels, if it has any, for its per-pixel passes. */
export interface ImageNetwork extends Freezable {
  /**
   * Outputs [B, H, W, P] for the network input [B, H, W, C_in] (the head's encoding of the pixels); the
   * output at (r, c) depends only on pixels before (r, c) in raster order, on the class condition, and on
   * the conditioning map [B, H, W, mapChannels] (not masked) of a network that takes one, inside the
   * receptive-field crop of (r, c) (rows above and the current row).
   */
  apply(input: tf.Tensor4D, condition?: tf.Tensor2D, map?: tf.Tensor4D): tf.Tensor4D;
  readonly receptiveField: ReceptiveField;
  /** Channels of the conditioning map the network takes; 0 or absent for none. */
  readonly mapChannels?: number;
}
