/**
 * Samplers draw examples and live apart from models (pythae's model + sampler pairing): the same trained
 * VAE can be sampled from its N(0, I) prior, or from a Gaussian mixture fitted to its encoded training
 * set; a VQ-VAE is sampled through a PixelCNN prior over its codes.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { GenerativeModel, SampleOptions } from './model.js';

export interface Sampler {
  readonly name: string;
  /** Draws n examples in data space, [n, ...eventShape]. */
  sample(n: number, options?: SampleOptions): tf.Tensor;
}

/** A prior over a latent space that can be fitted to codes (e.g. a GMM over a VAE's posterior means). */
export interface LatentPrior {
  readonly name: string;
  fit(latents: tf.Tensor2D, options?: { seed?: number }): void | Promise<void>;
  sample(n: number, options?: SampleOptions): tf.Tensor;
}

/** The sampler every model has: its own `sample`. */
export class ModelSampler implements Sampler {
  readonly name: string;
  constructor(private readonly model: GenerativeModel) {
    this.name = `${model.name}:model`;
  }
  sample(n: number, options?: SampleOptions): tf.Tensor {
    return this.model.sample(n, options);
  }
}
