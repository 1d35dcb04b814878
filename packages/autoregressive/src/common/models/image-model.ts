/**
 * Autoregressive models of images in raster order (PixelCNN, Gated PixelCNN): the network (<model>/model.ts)
 * gives every pixel's conditional in one pass for training and evaluation.
 *
 * Sampling runs the network once per pixel, but the output at (r, c) depends only on the pixels in its
 * receptive field, rows r − above … r and columns c − left … c + right: running the network on that crop
 * of the image gives exactly the same output at (r, c) (every activation that reaches it lies inside the
 * crop, and zero padding replaces only activations that do not), at a fraction of the cost — for the
 * 28 × 28 benchmark PixelCNN, 9 × 17 pixels instead of 784.
 *
 * A conditioning map (a network built with `mapChannels`) enters every layer through 1 × 1 convolutions, so
 * the output at (r, c) depends on the map only inside the same crop (rows above and the current row, the
 * same columns): sampling crops the map exactly as it crops the image.
 */
import {
  type ConditionalModel,
  ConfigError,
  imageShapeOf,
  type ModelContext,
  type ParameterStore,
  ShapeError,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OutputHead } from '../heads/types.js';
import type { Freezable } from '../layers/frozen-kernels.js';
import type { ImageNetwork } from '../networks/types.js';
import { AutoregressiveModel } from './autoregressive-model.js';

export class ImageAutoregressiveModel<Config>
  extends AutoregressiveModel<Config>
  implements Partial<ConditionalModel>
{
  readonly numClasses?: number;
  readonly network: ImageNetwork;
  /** Channels of the conditioning map the network takes; 0 for none. */
  readonly mapChannels: number;

  constructor(
    name: string,
    config: Config,
    context: ModelContext,
    head: (channels: number) => OutputHead,
    network: (store: ParameterStore, head: OutputHead, classes: number) => ImageNetwork,
    classes: number,
  ) {
    const image = imageShapeOf(context.eventShape);
    if (!image) {
      throw new ConfigError(
        `${name} models images ([height, width, channels], or flattened square images), got examples of shape ` +
          `[${context.eventShape.join(', ')}]`,
      );
    }
    const [height, width, channels] = image;
    const outputHead = head(channels);
    super(name, config, context.eventShape, [height, width], channels, outputHead, context.seed, classes);
    if (classes > 0) this.numClasses = classes;
    this.network = network(this.store, outputHead, classes);
    this.mapChannels = this.network.mapChannels ?? 0;
  }

  protected override sampledParts(): Freezable[] {
    return [this.network];
  }

  networkParams(x: tf.Tensor, _variant: number, condition?: tf.Tensor2D, map?: tf.Tensor4D): tf.Tensor {
    return tf.tidy(() => this.network.apply(this.head.encodeInput(x) as tf.Tensor4D, condition, map));
  }

  /** The conditional at one pixel from the network on its receptive-field crop (see the module doc). */
  override positionParams(
    x: tf.Tensor,
    position: number,
    _variant: number,
    condition?: tf.Tensor2D,
    map?: tf.Tensor4D,
  ): tf.Tensor2D {
    return tf.tidy(() => {
      const width = this.positionShape[1];
      const { above, left, right } = this.network.receptiveField;
      const r = Math.floor(position / width);
      const c = position % width;
      const r0 = Math.max(0, r - above);
      const c0 = Math.max(0, c - left);
      const c1 = Math.min(width - 1, c + right);
      const begin = [0, r0, c0, 0];
      const size = [-1, r - r0 + 1, c1 - c0 + 1, -1];
      const crop = tf.slice(x, begin, size);
      const mapCrop = map ? (tf.slice(map, begin, size) as tf.Tensor4D) : undefined;
      const params = this.network.apply(this.head.encodeInput(crop) as tf.Tensor4D, condition, mapCrop);
      const at = tf.slice(params, [0, r - r0, c - c0, 0], [-1, 1, 1, -1]);
      return tf.reshape(at, [x.shape[0], this.head.paramsPerPosition]) as tf.Tensor2D;
    });
  }

  /** The map [B, H, W, mapChannels] a network built with `mapChannels` needs; refused otherwise. */
  protected override mapFor(
    map: tf.Tensor4D | undefined,
    batch: number,
    what: string,
  ): tf.Tensor4D | undefined {
    const [height, width] = this.positionShape;
    if (this.mapChannels === 0) return super.mapFor(map, batch, what);
    if (!map) {
      throw new ShapeError(
        `${this.name}: ${what}: this model is conditioned on a map [batch, ${height}, ${width}, ${this.mapChannels}]; ` +
          'pass it as options.map',
      );
    }
    const expected = [batch, height, width, this.mapChannels];
    if (map.rank !== 4 || map.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(
        `${this.name}: ${what}: map must be [${expected.join(', ')}], got [${map.shape.join(', ')}]`,
      );
    }
    return map;
  }
}
