/**
 * MADE, the masked autoencoder for distribution estimation (Germain, Gregor, Murray & Larochelle, ICML
 * 2015): one pass of a masked MLP gives every conditional p(x_d | x_<d),
 *
 *   h⁰ = x (as the head encodes it),   hˡ = g(bˡ + (Wˡ ⊙ Mˡ) hˡ⁻¹)   (masks from degrees, common/masks/)
 *   params_d = c_d + ((V ⊙ Mᴼ) hᴸ)_d      (the head's parameters of p(x_d | x_<d))
 *   log p(x) = Σ_d log p(x_d | params_d)
 *
 * (the network: common/networks/masked-autoencoder.ts). With `masks: V > 1` it trains V mask sets — new
 * connectivities, and new orderings when `ordering` is random — one per step in turn, and evaluates their
 * ensemble, log p(x) = log (1/V) Σ_v p_v(x) (§4.2, order-agnostic training). With `conditional: true`
 * the one-hot class label is the network's context, entering the first hidden layer unmasked.
 */
import { type Activation, type ConditionalModel, deriveSeed, type ModelContext } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { buildHead, type HeadConfig } from '../common/heads/config.js';
import type { Freezable } from '../common/layers/frozen-kernels.js';
import { type HiddenDegrees, maskSet, type Ordering } from '../common/masks/degrees.js';
import { AutoregressiveModel } from '../common/models/autoregressive-model.js';
import { classesOf } from '../common/models/classes.js';
import { MaskedAutoencoder } from '../common/networks/masked-autoencoder.js';

export interface MadeSettings {
  hidden: number[];
  activation: Activation;
  masks: number;
  ordering: Ordering;
  hiddenDegrees: HiddenDegrees;
  head: HeadConfig;
  conditional: boolean;
}

export class Made<Config extends MadeSettings>
  extends AutoregressiveModel<Config>
  implements Partial<ConditionalModel>
{
  readonly network: MaskedAutoencoder;
  readonly numClasses?: number;
  private readonly dims: number;

  constructor(name: string, config: Config, context: ModelContext) {
    const dims = context.eventShape.reduce((a, b) => a * b, 1);
    const classes = config.conditional ? classesOf(name, context) : 0;
    super(name, config, context.eventShape, [dims], 1, buildHead(config.head, 1), context.seed, classes);
    this.dims = dims;
    if (classes > 0) this.numClasses = classes;
    const maskSets = Array.from({ length: config.masks }, (_, v) =>
      maskSet(dims, config.hidden, {
        ordering: config.ordering,
        hiddenDegrees: config.hiddenDegrees,
        seed: deriveSeed(context.seed, 'made/masks', v),
      }),
    );
    this.network = new MaskedAutoencoder(this.store, 'made', {
      dims,
      hidden: config.hidden,
      paramsPerDim: this.head.paramsPerPosition,
      maskSets,
      activation: config.activation,
      contextDim: classes,
    });
  }

  override get variants(): number {
    return this.network.maskSets;
  }

  networkParams(x: tf.Tensor, variant: number, condition?: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      const input = tf.reshape(this.head.encodeInput(x), [x.shape[0], this.dims]) as tf.Tensor2D;
      return this.network.apply(input, variant, condition);
    });
  }

  protected override sampledParts(): Freezable[] {
    return [this.network];
  }

  protected override order(variant: number): Int32Array {
    return this.network.orders[variant];
  }
}
