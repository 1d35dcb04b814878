/**
 * Multiscale PixelCNN (Reed, van den Oord, Kalchbrenner, Colmenarejo, Wang, Chen, Belov & de Freitas,
 * ICML 2017, "Parallel Multiscale Autoregressive Density Estimation", §3 and Fig. 2), for binary images.
 *
 * The image x (H × W, both divisible by 2^L) is partitioned by subsampling, not averaging: the image at
 * resolution s is x_s[u, v] = x[u·H/s, v·W/s], so the base x_b (b = H / 2^L; 7 × 7 for 28 × 28 and L = 2)
 * holds every 2^L-th pixel, and x_{2s} holds x_s at its even positions. Going from s to 2s the new pixels
 * form three groups, in the 2s image's coordinates:
 *
 *   G₁ = (2i, 2j) (the known x_s),  G₂ = (2i, 2j+1),  G₃ = (2i+1, 2j),  G₄ = (2i+1, 2j+1).
 *
 * Pixels within a group are conditionally independent given the earlier groups, so
 *
 *   log p(x) = log p_PixelCNN(x_b)
 *            + Σ_{s = 2b, 4b, …, H} Σ_{g = 2..4} Σ_{(u,v) ∈ G_g} log Bern(x_s[u, v] | σ(ℓ_{s,g}[u, v])),
 *
 *   ℓ_{s,g} = f_{s,g}([x_s ⊙ m_{<g}, m_{<g}]),
 *
 * where m_{<g} is 1 on the groups before g (the known pixels), the pixel values enter centred (2x − 1)
 * and zeroed where unknown, and f_{s,g} is an unmasked network of its own per level and group (a 3 × 3
 * convolution, residual blocks ReLU → 3 × 3 → ReLU → 3 × 3, and the 1 × 1 output layers of the
 * PixelCNNs). The base is the PixelCNN network (pixelcnn/model.ts) at b × b with a Bernoulli head.
 *
 * Sampling draws the base in raster order (b² passes of the base network) and then each group of each
 * level at once: b² + 3L network evaluations instead of H · W (49 + 6 for 28 × 28).
 */
import {
  type CompletionModel,
  ConfigError,
  Conv2D,
  deriveSeed,
  type ExactLikelihood,
  type GenerativeModel,
  imageShapeOf,
  type ModelContext,
  ParameterStore,
  type SampleOptions,
  ShapeError,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { BernoulliHead } from '../common/heads/bernoulli.js';
import { whileFrozen } from '../common/layers/frozen-kernels.js';
import { PixelOutputLayers } from '../common/networks/output-layers.js';
import { nllTrainingPlan } from '../common/objectives/nll.js';
import { PixelCnnNetwork } from '../pixelcnn/model.js';
import type { MultiscalePixelcnnConfig } from './config.js';

/** The groups of new pixels at each level, by the parity (row, column) of their position: G₂, G₃, G₄. */
export const GROUPS = [2, 3, 4] as const;
export type Group = (typeof GROUPS)[number];

/** Parity (row, column) of group g's positions in the finer image: G₁ (0,0), G₂ (0,1), G₃ (1,0), G₄ (1,1). */
function parity(g: number): [number, number] {
  return [g >= 3 ? 1 : 0, g === 2 || g === 4 ? 1 : 0];
}

/** 1 at the positions of group g in an h × w image, [1, h, w, 1]. */
function groupMask(g: number, h: number, w: number): tf.Tensor4D {
  const [pr, pc] = parity(g);
  const m = new Float32Array(h * w);
  for (let u = 0; u < h; u++) for (let v = 0; v < w; v++) if (u % 2 === pr && v % 2 === pc) m[u * w + v] = 1;
  return tf.tensor4d(m, [1, h, w, 1]);
}

/** m_{<g}: 1 at the positions of groups 1 … g − 1, [1, h, w, 1]. */
function knownMask(g: number, h: number, w: number): tf.Tensor4D {
  return tf.tidy(
    () => tf.addN(Array.from({ length: g - 1 }, (_, i) => groupMask(i + 1, h, w))) as tf.Tensor4D,
  );
}

/** x_s: every k-th pixel of x [B, H, W, 1], [B, H/k, W/k, 1] (reshape and slice: differentiable). */
function subsample(x: tf.Tensor4D, k: number): tf.Tensor4D {
  if (k === 1) return x;
  const [b, h, w] = x.shape;
  const blocks = tf.reshape(x, [b, h / k, k, w / k, k]);
  const corners = tf.slice(blocks, [0, 0, 0, 0, 0], [b, h / k, 1, w / k, 1]);
  return tf.reshape(corners, [b, h / k, w / k, 1]);
}

interface UpsampleBlock {
  first: Conv2D;
  second: Conv2D;
}

/**
 * f_{s,g}: an unmasked network from [x_s ⊙ m_{<g}, m_{<g}] (2 channels) to one logit per pixel: a 3 × 3
 * convolution, residual blocks h + conv₃ₓ₃(ReLU(conv₃ₓ₃(ReLU(h)))), and ReLU → 1 × 1 → ReLU → 1 × 1.
 */
export class UpsampleNetwork {
  private readonly input: Conv2D;
  private readonly blocks: UpsampleBlock[] = [];
  private readonly output: PixelOutputLayers;

  constructor(store: ParameterStore, key: string, channels: number, blocks: number) {
    this.input = new Conv2D(store, `${key}/input`, 2, channels, { kernelSize: 3 });
    for (let b = 0; b < blocks; b++) {
      this.blocks.push({
        first: new Conv2D(store, `${key}/block${b}/first`, channels, channels, { kernelSize: 3 }),
        second: new Conv2D(store, `${key}/block${b}/second`, channels, channels, { kernelSize: 3 }),
      });
    }
    this.output = new PixelOutputLayers(store, key, channels, channels, 1);
  }

  apply(input: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = this.input.apply(input);
      for (const block of this.blocks) {
        h = tf.add(h, block.second.apply(tf.relu(block.first.apply(tf.relu(h))) as tf.Tensor4D));
      }
      return this.output.apply(h);
    });
  }
}

export class MultiscalePixelCnn implements GenerativeModel<MultiscalePixelcnnConfig>, CompletionModel {
  readonly eventShape: readonly number[];
  readonly likelihood: ExactLikelihood;
  /** One ordering: the NLL objective's single variant. */
  readonly variants = 1;
  /** The image [H, W] and the base image [H / 2^L, W / 2^L]. */
  readonly imageShape: [number, number];
  readonly baseShape: [number, number];
  readonly levels: number;
  readonly head = new BernoulliHead();
  private readonly store: ParameterStore;
  private readonly base: PixelCnnNetwork;
  /** f_{s,g}: upsamplers[level − 1][g − 2] for level = 1 … L (resolution b · 2^level). */
  private readonly upsamplers: UpsampleNetwork[][] = [];

  constructor(
    readonly name: string,
    readonly config: MultiscalePixelcnnConfig,
    context: ModelContext,
  ) {
    const image = imageShapeOf(context.eventShape);
    if (!image) {
      throw new ConfigError(
        `${name} models images ([height, width, 1], or flattened square images), got examples of shape ` +
          `[${context.eventShape.join(', ')}]`,
      );
    }
    const [height, width, channels] = image;
    if (channels !== 1) {
      throw new ConfigError(
        `${name} models binary single-channel images for now, got ${channels} channels per pixel`,
      );
    }
    const factor = 2 ** config.levels;
    if (height % factor !== 0 || width % factor !== 0) {
      throw new ConfigError(
        `${name}: with levels: ${config.levels} the image sides must be divisible by ${factor} ` +
          `(each level halves them), got ${height} × ${width}`,
      );
    }
    this.eventShape = [...context.eventShape];
    this.imageShape = [height, width];
    this.baseShape = [height / factor, width / factor];
    this.levels = config.levels;
    this.store = new ParameterStore(name, context.seed);
    this.base = new PixelCnnNetwork(this.store, 'base', this.head.inputChannels, 1, config);
    for (let level = 1; level <= this.levels; level++) {
      const side = this.baseShape[0] * 2 ** level;
      this.upsamplers.push(
        GROUPS.map(
          (g) =>
            new UpsampleNetwork(
              this.store,
              `level${side}/group${g}`,
              config.upsampleChannels,
              config.upsampleBlocks,
            ),
        ),
      );
    }
    this.likelihood = { kind: 'exact', logProb: (x) => this.logProb(x) };
  }

  /** log p(x) per example in nats, [B]: the base PixelCNN plus every group of every level (module doc). */
  logProb(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => {
      const image = this.toImage(x, 'logProb');
      const [height] = this.imageShape;
      const xb = subsample(image, height / this.baseShape[0]);
      const baseParams = this.base.apply(this.head.encodeInput(xb) as tf.Tensor4D);
      let total = tf.sum(this.head.logProb(baseParams, xb), [1, 2]);
      for (let level = 1; level <= this.levels; level++) {
        const xs = this.levelImage(image, level);
        const [, h, w] = xs.shape;
        for (const g of GROUPS) {
          const logits = this.levelLogits(xs, level, g);
          const perPixel = tf.mul(this.head.logProb(logits, xs), tf.squeeze(groupMask(g, h, w), [0, 3]));
          total = tf.add(total, tf.sum(perPixel, [1, 2]));
        }
      }
      return total as tf.Tensor1D;
    });
  }

  /** The NLL objective's view: the one variant is the model. */
  logProbUnder(x: tf.Tensor, _variant = 0): tf.Tensor1D {
    return this.logProb(x);
  }

  /**
   * ℓ_{s,g} for the image x [B, H, W, 1] (or flattened), [B, s_h, s_w] at level `level` (1 … L, resolution
   * b · 2^level); only the positions of group g are used.
   */
  groupLogits(x: tf.Tensor, level: number, group: Group): tf.Tensor3D {
    return tf.tidy(() => {
      const xs = this.levelImage(this.toImage(x, 'groupLogits'), level);
      return tf.squeeze(this.levelLogits(xs, level, group), [3]) as tf.Tensor3D;
    });
  }

  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError(`${this.name}.sample: n must be a positive integer, got ${n}`);
    const [height, width] = this.imageShape;
    const canvas = new Float32Array(n * height * width);
    return this.fill(canvas, new Uint8Array(canvas.length), n, options);
  }

  /**
   * Draws the unobserved pixels of x (observed: 1 where given, of x's shape or of one example's) in the
   * model's order, base in raster order then level by level, group by group; observed pixels are kept and
   * condition every later draw (each missing pixel conditions on the values before it only).
   */
  complete(x: tf.Tensor, observed: tf.Tensor, options: SampleOptions = {}): tf.Tensor {
    const image = this.toImage(x, 'complete: x');
    const n = image.shape[0];
    const values = Float32Array.from(image.dataSync());
    image.dispose();
    const size = values.length / n;
    if (observed.size !== size && observed.size !== values.length) {
      throw new ShapeError(
        `${this.name}.complete: observed must have the shape of x [${n}, ${this.eventShape.join(', ')}] or of ` +
          `one example [${this.eventShape.join(', ')}], got [${observed.shape.join(', ')}]`,
      );
    }
    const given = observed.dataSync();
    const mask = Uint8Array.from({ length: values.length }, (_, i) =>
      given[i % given.length] !== 0 ? 1 : 0,
    );
    for (let i = 0; i < values.length; i++) if (mask[i] === 0) values[i] = 0;
    return this.fill(values, mask, n, options);
  }

  /** Fills the canvas [n, H, W] where `observed` is 0 (module doc: b² base passes, then 3 per level). */
  private fill(canvas: Float32Array, observed: Uint8Array, n: number, options: SampleOptions): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    const [height, width] = this.imageShape;
    const shape = [n, height, width, 1];
    const write = (
      drawn: ArrayLike<number>,
      h: number,
      w: number,
      k: number,
      keep: (u: number, v: number) => boolean,
    ) => {
      for (let i = 0; i < n; i++)
        for (let u = 0; u < h; u++)
          for (let v = 0; v < w; v++)
            if (keep(u, v)) {
              const at = (i * height + u * k) * width + v * k;
              if (observed[at] === 0) canvas[at] = drawn[(i * h + u) * w + v];
            }
    };
    // The base in raster order: b² passes of the PixelCNN.
    const [bh, bw] = this.baseShape;
    const k0 = height / bh;
    whileFrozen([this.base], () => {
      for (let p = 0; p < bh * bw; p++) {
        const r = Math.floor(p / bw);
        const c = p % bw;
        const draw = tf.tidy(() => {
          const xb = subsample(tf.tensor4d(canvas, shape as [number, number, number, number]), k0);
          const params = this.base.apply(this.head.encodeInput(xb) as tf.Tensor4D);
          return this.head.sample(params, deriveSeed(seed, 'base', p), temperature);
        });
        const drawn = draw.dataSync();
        draw.dispose();
        write(drawn, bh, bw, k0, (u, v) => u === r && v === c);
      }
    });
    // Each group of each level at once: 3 passes per level.
    for (let level = 1; level <= this.levels; level++) {
      const h = bh * 2 ** level;
      const w = bw * 2 ** level;
      const k = height / h;
      for (const g of GROUPS) {
        const draw = tf.tidy(() => {
          const image = tf.tensor4d(canvas, shape as [number, number, number, number]);
          const logits = this.levelLogits(this.levelImage(image, level), level, g);
          return this.head.sample(logits, deriveSeed(seed, 'level', level, 'group', g), temperature);
        });
        const drawn = draw.dataSync();
        draw.dispose();
        const [pr, pc] = parity(g);
        write(drawn, h, w, k, (u, v) => u % 2 === pr && v % 2 === pc);
      }
    }
    return tf.tensor(canvas, [n, ...this.eventShape]);
  }

  trainingPlan(): TrainingPlan {
    return nllTrainingPlan(this, this.store);
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  dispose(): void {
    this.store.dispose();
  }

  /** x_s at level `level` (resolution b · 2^level) of the image [B, H, W, 1]. */
  private levelImage(image: tf.Tensor4D, level: number): tf.Tensor4D {
    return subsample(image, 2 ** (this.levels - level));
  }

  /** ℓ_{s,g} = f_{s,g}([(2x_s − 1) ⊙ m_{<g}, m_{<g}]), [B, s_h, s_w, 1]. */
  private levelLogits(xs: tf.Tensor4D, level: number, g: Group): tf.Tensor4D {
    return tf.tidy(() => {
      const [b, h, w] = xs.shape;
      const known = knownMask(g, h, w);
      const values = tf.mul(this.head.encodeInput(xs), known);
      const input = tf.concat([values, tf.tile(known, [b, 1, 1, 1])], 3) as tf.Tensor4D;
      return this.upsamplers[level - 1][g - 2].apply(input);
    });
  }

  /** x [B, ...eventShape] (or any [B, ...] of the image's size) as [B, H, W, 1]. */
  private toImage(x: tf.Tensor, what: string): tf.Tensor4D {
    const [height, width] = this.imageShape;
    if (x.rank < 2 || x.size / x.shape[0] !== height * width) {
      throw new ShapeError(
        `${this.name}.${what}: expected [batch, ${this.eventShape.join(', ')}], got [${x.shape.join(', ')}]`,
      );
    }
    return tf.reshape(x, [x.shape[0], height, width, 1]);
  }
}

/** The multiscale PixelCNN for `context`'s images. */
export function createMultiscalePixelCnn(
  name: string,
  config: MultiscalePixelcnnConfig,
  context: ModelContext,
): MultiscalePixelCnn {
  return new MultiscalePixelCnn(name, config, context);
}
