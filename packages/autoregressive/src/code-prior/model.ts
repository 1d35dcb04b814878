/**
 * A PixelCNN prior over grids of discrete codes (van den Oord, Vinyals & Kavukcuoglu, NeurIPS 2017,
 * "Neural Discrete Representation Learning", §3.2 and §4.2): a VQ-VAE's encoder maps each image to an
 * H × W grid of codebook indices in 0 … K − 1, and a PixelCNN with a K-way softmax head fitted to those
 * grids is the learned prior p(z) = Π p(z_i | z_<i). Sampling the prior and decoding the codes gives
 * images; this class is the sampler half of that pairing (the VQ-VAE plugin owns the decoder).
 *
 * The prior is an ordinary registered model (`pixelcnn` or `gated-pixelcnn` with head `{ kind:
 * 'categorical', categories: K, values: 'index' }`, so the network sees one-hot codes) of event shape
 * [H, W, 1]: it trains with core's Trainer on a dataset of code grids stored as their float indices, and
 * saves and loads like any model. The codes' examples are integers 0 … K − 1, not pixels in [0, 1].
 *
 * With `mapChannels` the prior is conditioned on a map [n, H, W, C] on the code grid (Gated PixelCNN's
 * spatial conditioning, e.g. VQ-VAE-2's bottom prior given the top codes): `logProb(codes, { map })`,
 * `sample(n, { map })`, `complete(codes, observed, { map })`.
 */
import { ConfigError, type ModelDefinition, type Sampler, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type {
  AutoregressiveLikelihoodOptions,
  AutoregressiveSampleOptions,
} from '../common/models/autoregressive-model.js';
import type { ImageAutoregressiveModel } from '../common/models/image-model.js';
import { gatedPixelcnnDefinition } from '../gated-pixelcnn/index.js';
import { pixelcnnDefinition } from '../pixelcnn/index.js';

const NETWORKS: Record<string, ModelDefinition> = {
  pixelcnn: pixelcnnDefinition,
  'gated-pixelcnn': gatedPixelcnnDefinition,
};

export interface CodePriorOptions {
  /** The code grid [height, width]. */
  codeShape: readonly [number, number];
  /** Codebook size K. */
  categories: number;
  /** The network (default `gated-pixelcnn`, the VQ-VAE paper's prior). */
  network?: 'pixelcnn' | 'gated-pixelcnn';
  /** Network config on top of the model's defaults (the head is set by the prior). */
  config?: Record<string, unknown>;
  /** Classes, for a class-conditional prior (gated-pixelcnn with `conditional: true`). */
  numClasses?: number;
  /**
   * Channels of a conditioning map [n, H, W, mapChannels] on the code grid (gated-pixelcnn only; sets its
   * config's `mapChannels`); 0 or absent for none.
   */
  mapChannels?: number;
  seed?: number;
}

export class CodePrior implements Sampler {
  readonly name: string;
  readonly categories: number;
  readonly codeShape: readonly [number, number];
  /** Channels of the conditioning map; 0 for none. */
  readonly mapChannels: number;

  constructor(
    /** The autoregressive model over [H, W, 1] code grids (trainable, saveable). */
    readonly model: ImageAutoregressiveModel<unknown>,
  ) {
    const [height, width, channels] = model.eventShape;
    const head = model.head as { kind: string; categories?: number; values?: string };
    if (channels !== 1 || head.kind !== 'categorical' || head.values !== 'index') {
      throw new ConfigError(
        `a code prior needs a model of [height, width, 1] grids with head { kind: 'categorical', values: 'index' }, ` +
          `got ${model.name} of shape [${model.eventShape.join(', ')}] with head "${head.kind}"`,
      );
    }
    this.name = `${model.name}:code-prior`;
    this.categories = head.categories!;
    this.codeShape = [height, width];
    this.mapChannels = model.mapChannels;
  }

  /** n code grids, int32 [n, H, W], drawn pixel by pixel (with temperature, class and map, as `sample`). */
  sample(n: number, options: AutoregressiveSampleOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const drawn = this.model.sample(n, options);
      return tf.cast(tf.reshape(drawn, [n, ...this.codeShape]), 'int32') as tf.Tensor3D;
    });
  }

  /** log p(z) per grid in nats, [n], for integer codes [n, H, W]. */
  logProb(codes: tf.Tensor, options: AutoregressiveLikelihoodOptions = {}): tf.Tensor1D {
    return tf.tidy(() => this.model.logProb(this.asExamples(codes), options));
  }

  /** Completes grids [n, H, W] where `observed` is 1, drawing the other codes. */
  complete(codes: tf.Tensor, observed: tf.Tensor, options: AutoregressiveSampleOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const done = this.model.complete(
        this.asExamples(codes),
        tf.reshape(observed, [-1, ...this.codeShape, 1]),
        options,
      );
      return tf.cast(tf.reshape(done, [-1, ...this.codeShape]), 'int32') as tf.Tensor3D;
    });
  }

  /** Integer codes [n, H, W] (or [n, H, W, 1]) as the model's float examples [n, H, W, 1], checked. */
  asExamples(codes: tf.Tensor): tf.Tensor4D {
    const [height, width] = this.codeShape;
    const shapeOk =
      (codes.rank === 3 || (codes.rank === 4 && codes.shape[3] === 1)) &&
      codes.shape[1] === height &&
      codes.shape[2] === width;
    if (!shapeOk) {
      throw new ShapeError(
        `${this.name}: codes must be [n, ${height}, ${width}], got [${codes.shape.join(', ')}]`,
      );
    }
    return tf.tidy(
      () => tf.reshape(tf.cast(codes, 'float32'), [codes.shape[0], height, width, 1]) as tf.Tensor4D,
    );
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** A new, untrained code prior: the chosen network with a K-way softmax over code indices. */
export function createCodePrior(options: CodePriorOptions): CodePrior {
  const definition = NETWORKS[options.network ?? 'gated-pixelcnn'];
  if (!definition)
    throw new ConfigError(`code prior network must be pixelcnn or gated-pixelcnn, got ${options.network}`);
  const [height, width] = options.codeShape;
  const mapChannels = options.mapChannels ?? 0;
  if (mapChannels > 0 && definition !== gatedPixelcnnDefinition)
    throw new ConfigError(
      `a code prior conditioned on a map needs network 'gated-pixelcnn', got ${options.network}`,
    );
  const config = definition.configSchema.parse({
    ...options.config,
    ...(mapChannels > 0 ? { mapChannels } : {}),
    head: { kind: 'categorical', categories: options.categories, values: 'index' },
  });
  const model = definition.create(config, {
    eventShape: [height, width, 1],
    numClasses: options.numClasses,
    seed: options.seed ?? 0,
  });
  return new CodePrior(model as ImageAutoregressiveModel<unknown>);
}
