/**
 * VQ-VAE-2: Razavi, van den Oord & Vinyals, "Generating Diverse High-Fidelity Images with VQ-VAE-2"
 * (NeurIPS 2019), two levels (Fig. 2a; the architecture of the reference implementation
 * rosinality/vq-vae-2-pytorch at image sizes 28 and 32).
 *
 * Encoding, for a 28 × 28 image (32 × 32: 16 × 16 and 8 × 8):
 *
 *   h_b = Enc_b(x)                                   stride-2 convs + residual blocks, [14, 14, C]
 *   z_e^t = Enc_t(h_b),  e_t = quantize_t(z_e^t)     another halving, [7, 7, D], top codebook (K_t)
 *   z_e^b = conv1×1([Dec_t(e_t), h_b]),              Dec_t: residual blocks + a stride-2 transposed conv
 *   e_b = quantize_b(z_e^b)                          [14, 14, D], bottom codebook (K_b)
 *   x̂ = Dec([e_b, up(e_t)])                          up: a stride-2 4 × 4 transposed conv
 *
 * so the bottom codes carry what the top ones leave out (the top codes are an input of the bottom
 * encoder). Both quantizations use the straight-through estimator (see `common/quantizer.ts`), and the
 * loss per example is
 *
 *   L = −log p(x | e_t, e_b) + Σ_{l ∈ {t, b}} ( ‖sg[z_e^l] − e_l‖² + β ‖z_e^l − sg[e_l]‖² ),
 *
 * each codebook term dropped when the codebooks follow moving averages (the default, as the paper's).
 *
 * Likelihood. With uniform priors over both levels' codes the one-hot posteriors have KL = log K_l per
 * position, so
 *
 *   log p(x) ≥ log p(x | e_t, e_b) − (h_t·w_t·log K_t + h_b·w_b·log K_b)        (`lowerBound`).
 *
 * Top-only reconstructions (`decodeTop`): the bottom level's input of the decoder, e_b, is replaced at
 * every position by the average bottom code (weighted by the codes' moving-average frequencies in
 * training; the plain codebook mean without EMA). The paper does not say how its Fig. 3 ("each latent map
 * adds detail") removes a level; zeros are a point the decoder never sees (the codes are away from the
 * origin), while the frequency-weighted mean is the single input nearest, in expected squared distance,
 * to the bottom codes the decoder was trained on — the bottom level's information removed, its typical
 * value kept.
 */
import {
  type Batch,
  Conv2DTranspose,
  flattenBatch,
  type GenerativeModel,
  imageShapeOf,
  type LevelReconstruction,
  type LevelReconstructions,
  type LowerBoundLikelihood,
  type ModelContext,
  type Objective,
  ParameterStore,
  Pointwise,
  type SampleOptions,
  ShapeError,
  type StepContext,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { Decoder, Encoder } from '../common/networks.js';
import { type Observation, observationOf } from '../common/observation.js';
import { type Quantized, stopGradient, VectorQuantizer } from '../common/quantizer.js';
import type { VqVae2Config } from './config.js';

/** The two levels, coarse first. */
export type Level = 'top' | 'bottom';
export const LEVELS: readonly Level[] = ['top', 'bottom'];

/** Code grids of both levels, int32: top [n, h_t, w_t], bottom [n, h_b, w_b]. */
export interface HierarchicalCodes {
  top: tf.Tensor;
  bottom: tf.Tensor;
}

/** One pass x → (z_e, e) per level → decoder outputs; the caller owns every tensor. */
export interface VqVae2Pass {
  ze: Record<Level, tf.Tensor4D>;
  quantized: Record<Level, Quantized>;
  /** Decoder outputs (means or logits) on flattened examples, [B, H·W·C]. */
  outputs: tf.Tensor2D;
  /** log p(x | e_t, e_b) per example, [B]. */
  logLikelihood: tf.Tensor1D;
}

export class VqVae2 implements GenerativeModel<VqVae2Config>, LevelReconstructions {
  readonly likelihood: LowerBoundLikelihood;
  readonly eventShape: readonly number[];
  /** [H, W, C] of the images. */
  readonly imageShape: readonly [number, number, number];
  /** [h, w] of each level's code grid (top 7 × 7 and bottom 14 × 14 for 28 × 28 images). */
  readonly codeShapes: Record<Level, readonly [number, number]>;
  /** K of each level. */
  readonly codebookSizes: Record<Level, number>;
  readonly quantizers: Record<Level, VectorQuantizer>;
  /** Codes re-seeded by the last dead-code restart of each level. */
  readonly lastRestarted: Record<Level, number> = { top: 0, bottom: 0 };
  private readonly store: ParameterStore;
  private readonly bottomEncoder: Encoder;
  private readonly topEncoder: Encoder;
  private readonly topDecoder: Decoder;
  private readonly bottomInput: Pointwise;
  private readonly upsampleTop: Conv2DTranspose;
  private readonly decoder: Decoder;
  private readonly observation: Observation;
  private readonly dims: number;

  constructor(
    readonly name: string,
    readonly config: VqVae2Config,
    context: ModelContext,
  ) {
    this.eventShape = [...context.eventShape];
    const image = imageShapeOf(context.eventShape);
    const bottomFactor = 2 ** config.hidden.length;
    const factor = bottomFactor * 2 ** config.topHidden.length;
    if (!image || image[0] % factor !== 0 || image[1] % factor !== 0) {
      throw new ShapeError(
        `${name} needs images whose height and width are multiples of ${factor} (${config.hidden.length} + ` +
          `${config.topHidden.length} stride-2 convolutions), got event shape [${context.eventShape.join(', ')}]`,
      );
    }
    this.imageShape = image;
    this.codeShapes = {
      top: [image[0] / factor, image[1] / factor],
      bottom: [image[0] / bottomFactor, image[1] / bottomFactor],
    };
    this.dims = image[0] * image[1] * image[2];
    this.codebookSizes = { ...config.codebookSize };
    this.store = new ParameterStore(name, context.seed);
    const D = config.codeDim;
    const blocks = { residualBlocks: config.residualBlocks, residualChannels: config.residualChannels };
    const bottomNet = { hidden: config.hidden, ...blocks };
    const topNet = { hidden: config.topHidden, ...blocks };
    const features = config.hidden[config.hidden.length - 1];
    this.bottomEncoder = new Encoder(this.store, image[2], features, bottomNet, 'encoder/bottom');
    this.topEncoder = new Encoder(this.store, features, D, topNet, 'encoder/top');
    this.topDecoder = new Decoder(this.store, D, D, topNet, 'encoder/top-decoder');
    this.bottomInput = new Pointwise(this.store, 'encoder/bottom-in', D + features, D);
    const quantizer = (level: Level) =>
      new VectorQuantizer(this.store, `quantizer/${level}`, {
        codebookSize: config.codebookSize[level],
        codeDim: D,
        update: config.codebook.update,
        decay: config.codebook.decay,
        epsilon: config.codebook.epsilon,
      });
    this.quantizers = { top: quantizer('top'), bottom: quantizer('bottom') };
    // One stride-2 transposed convolution per halving between the grids.
    this.upsampleTop = new Conv2DTranspose(this.store, 'decoder/upsample-top', D, D, {
      kernelSize: 4,
      stride: 2 ** config.topHidden.length,
    });
    this.decoder = new Decoder(this.store, image[2], 2 * D, bottomNet, 'decoder');
    this.observation = observationOf(config.decoder);
    this.likelihood = {
      kind: 'lowerBound',
      lowerBound: (x) => this.lowerBound(x),
      // The posterior is a point mass: the importance-sampled estimate is the bound for any sample count.
      importanceSampledLogProb: (x) => this.lowerBound(x),
    };
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  /** The code indices of x at both levels: top int32 [B, h_t, w_t], bottom int32 [B, h_b, w_b]. */
  encodeCodes(x: tf.Tensor): { top: tf.Tensor3D; bottom: tf.Tensor3D } {
    const [top, bottom] = tf.tidy(() => {
      const q = this.quantizeAll(this.images(x));
      const grid = (level: Level) =>
        tf.reshape(q[level].indices, [x.shape[0], ...this.codeShapes[level]]) as tf.Tensor3D;
      return [grid('top'), grid('bottom')];
    });
    return { top, bottom };
  }

  /** E[x | e_t, e_b] for integer codes of both levels ([n, h, w] or [n, h, w, 1]): [n, ...eventShape]. */
  decodeCodes(codes: HierarchicalCodes): tf.Tensor {
    return tf.tidy(() => {
      const top = this.quantizers.top.lookup(this.checkCodes(codes.top, 'top')) as tf.Tensor4D;
      const bottom = this.quantizers.bottom.lookup(this.checkCodes(codes.bottom, 'bottom')) as tf.Tensor4D;
      return this.decodeMean(top, bottom);
    });
  }

  /**
   * E[x | e_t, ē_b] for top codes [n, h_t, w_t] alone: the bottom level's input replaced by its average
   * code ē_b at every position (see the module doc).
   */
  decodeTop(top: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const e = this.quantizers.top.lookup(this.checkCodes(top, 'top')) as tf.Tensor4D;
      return this.decodeMean(e, this.meanBottom(e.shape[0]));
    });
  }

  /** E[x | e_t(x), e_b(x)], the reconstructions of x from both levels, [B, ...eventShape]. */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { outputs } = this.pass(x);
      return tf.reshape(this.observation.mean(outputs), [x.shape[0], ...this.eventShape]);
    });
  }

  /** Reconstructions of x from the top codes alone, then from both levels (the "each level adds detail" picture). */
  levelReconstructions(x: tf.Tensor): LevelReconstruction[] {
    const { top, bottom } = this.encodeCodes(x);
    try {
      return [
        { label: 'top', images: this.decodeTop(top) },
        { label: 'top + bottom', images: this.decodeCodes({ top, bottom }) },
      ];
    } finally {
      tf.dispose([top, bottom]);
    }
  }

  /**
   * The top codes' vectors e_t, nearest-neighbour upsampled to the bottom grid: [n, h_b, w_b, D] for top
   * codes [n, h_t, w_t] — what a bottom prior p(z_b | z_t) conditions on.
   */
  topCodeMap(top: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const e = this.quantizers.top.lookup(this.checkCodes(top, 'top')) as tf.Tensor4D;
      const [h, w] = this.codeShapes.bottom;
      return tf.image.resizeNearestNeighbor(e, [h, w]);
    });
  }

  /** The forward pass; the caller owns the tensors (use inside tf.tidy). */
  pass(x: tf.Tensor): VqVae2Pass {
    const flat = flattenBatch(x, this.eventShape, `${this.name}: x`);
    const { ze, quantized } = this.encodeAll(this.images(flat));
    const decoded = this.decode(quantized.top.zq as tf.Tensor4D, quantized.bottom.zq as tf.Tensor4D);
    const outputs = tf.reshape(decoded, [flat.shape[0], this.dims]) as tf.Tensor2D;
    return { ze, quantized, outputs, logLikelihood: this.observation.logProb(outputs, flat) };
  }

  /** log p(x | e_t, e_b) − (h_t·w_t·log K_t + h_b·w_b·log K_b) per example, [B] (uniform priors). */
  lowerBound(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => tf.sub(this.pass(x).logLikelihood, this.priorNats()) as tf.Tensor1D);
  }

  /** −log p(z_t, z_b) of one pair of grids under the uniform priors, nats (one level's with `level`). */
  priorNats(level?: Level): number {
    const nats = (l: Level) =>
      this.codeShapes[l][0] * this.codeShapes[l][1] * Math.log(this.codebookSizes[l]);
    return level ? nats(level) : nats('top') + nats('bottom');
  }

  /** Uniform codes at every position of both levels (the baseline prior), decoded: [n, ...eventShape]. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      const seed = seedOrRandom(options.seed);
      const draw = (level: Level, offset: number) =>
        tf.randomUniform(
          [n, ...this.codeShapes[level]],
          0,
          this.codebookSizes[level],
          'int32',
          seed + offset,
        );
      return this.decodeCodes({ top: draw('top', 0), bottom: draw('bottom', 1) });
    });
  }

  /**
   * Test-set metrics: the reconstruction MSE from both levels (`recon_mse`) and from the top alone
   * (`recon_mse_top_only`), and each level's code perplexity and codes used, per batch.
   */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const { outputs, quantized } = this.pass(batch.x);
      const flat = flattenBatch(batch.x, this.eventShape, `${this.name}: x`);
      const mse = (mean: tf.Tensor) =>
        tf.mean(tf.square(tf.sub(tf.reshape(mean, flat.shape), flat))) as tf.Scalar;
      const top = tf.reshape(quantized.top.indices, [flat.shape[0], ...this.codeShapes.top]);
      return {
        recon_mse: mse(this.observation.mean(outputs)),
        recon_mse_top_only: mse(this.decodeTop(top)),
        perplexity_top: quantized.top.perplexity,
        perplexity_bottom: quantized.bottom.perplexity,
        codes_used_top: quantized.top.codesUsed,
        codes_used_bottom: quantized.bottom.codesUsed,
      };
    });
  }

  /** With `codebook.init: 'data'` each codebook starts as K distinct encoder outputs of the first batch. */
  initialize(x: tf.Tensor, seed: number): void {
    if (this.config.codebook.init !== 'data') return;
    const D = this.config.codeDim;
    tf.tidy(() => {
      const hb = this.bottomEncoder.apply(this.images(x));
      const zt = this.topEncoder.apply(hb);
      this.quantizers.top.initializeFrom(tf.reshape(zt, [-1, D]) as tf.Tensor2D, seed);
      // The bottom encoder reads the (now initialized) top codes.
      const et = this.quantizers.top.quantize(zt).codes as tf.Tensor4D;
      const zb = this.bottomInput.apply(tf.concat([this.topDecoder.apply(et), hb], 3));
      this.quantizers.bottom.initializeFrom(tf.reshape(zb, [-1, D]) as tf.Tensor2D, seed + 1);
    });
  }

  trainingPlan(): TrainingPlan {
    const objective: Objective = {
      name: 'vq-vae-2',
      compute: (batch, context) => this.objective(batch, context),
    };
    return {
      players: [
        {
          kind: 'gradient',
          name: this.name,
          // With EMA updates the codebooks are not trainable and so not among these.
          variables: () => this.store.trainable(),
          objective,
        },
      ],
    };
  }

  /**
   * L = −log p(x | e_t, e_b) + Σ_levels (‖sg[z_e] − e‖² + β‖z_e − sg[e]‖²), averaged over the batch; the
   * codebook terms only without EMA. Logs each level's commitment, perplexity and codes used.
   */
  objective(batch: Batch, context: StepContext) {
    const { ze, quantized, outputs, logLikelihood } = this.pass(batch.x);
    const reconstruction = tf.neg(tf.mean(logLikelihood)) as tf.Scalar;
    const ema = this.config.codebook.update === 'ema';
    let loss: tf.Tensor = reconstruction;
    const metrics: Record<string, tf.Scalar> = { reconstruction };
    for (const level of LEVELS) {
      const q = quantized[level];
      const commitment = tf.mean(q.commitmentLoss) as tf.Scalar;
      loss = tf.add(loss, tf.mul(this.config.beta, commitment));
      if (!ema) loss = tf.add(loss, tf.mean(q.codebookLoss));
      const suffix = level === 'top' ? 'Top' : 'Bottom';
      metrics[`commitment${suffix}`] = commitment;
      metrics[`perplexity${suffix}`] = q.perplexity;
      metrics[`codesUsed${suffix}`] = q.codesUsed;
    }
    // After the losses are taken: the codebooks' own updates from this batch (EMA, dead-code restarts).
    for (const level of LEVELS) {
      const restarted = this.quantizers[level].trainingUpdate(
        ze[level],
        quantized[level],
        this.config.deadCodeRestart,
        context,
      );
      if (restarted !== undefined) this.lastRestarted[level] = restarted;
    }
    const flat = flattenBatch(batch.x, this.eventShape, `${this.name}: x`);
    metrics.reconMse = tf.mean(tf.square(tf.sub(this.observation.mean(outputs), flat))) as tf.Scalar;
    const weight = this.config.topOnlyWeight;
    if (weight > 0) {
      // The auxiliary top-only reconstruction (see the config): e_t through straight-through, ē_b fixed.
      const top = quantized.top.zq as tf.Tensor4D;
      const topOnly = tf.reshape(this.decode(top, this.meanBottom(top.shape[0])), flat.shape) as tf.Tensor2D;
      const term = tf.neg(tf.mean(this.observation.logProb(topOnly, flat))) as tf.Scalar;
      loss = tf.add(loss, tf.mul(weight, term));
      metrics.reconstructionTopOnly = term;
    }
    return { loss: loss as tf.Scalar, metrics };
  }

  dispose(): void {
    this.store.dispose();
  }

  /** Both levels' z_e and their quantizations for images [B, H, W, C]; the caller owns the tensors. */
  private encodeAll(images: tf.Tensor4D): Pick<VqVae2Pass, 'ze' | 'quantized'> {
    const hb = this.bottomEncoder.apply(images);
    const zt = this.topEncoder.apply(hb);
    const qt = this.quantizers.top.quantize(zt);
    const zb = this.bottomInput.apply(tf.concat([this.topDecoder.apply(qt.zq as tf.Tensor4D), hb], 3));
    const qb = this.quantizers.bottom.quantize(zb);
    return { ze: { top: zt, bottom: zb }, quantized: { top: qt, bottom: qb } };
  }

  private quantizeAll(images: tf.Tensor4D): Record<Level, Quantized> {
    return this.encodeAll(images).quantized;
  }

  /** The average bottom code ē_b at every position of n bottom grids, [n, h_b, w_b, D] (no gradient). */
  private meanBottom(n: number): tf.Tensor4D {
    const [h, w] = this.codeShapes.bottom;
    const mean = stopGradient(this.quantizers.bottom.meanCode());
    return tf.tile(tf.reshape(mean, [1, 1, 1, -1]), [n, h, w, 1]) as tf.Tensor4D;
  }

  /** Decoder outputs [B, H, W, C] from both levels' code vectors. */
  private decode(top: tf.Tensor4D, bottom: tf.Tensor4D): tf.Tensor4D {
    return this.decoder.apply(tf.concat([bottom, this.upsampleTop.apply(top)], 3));
  }

  /** E[x | ·] as [n, ...eventShape]. */
  private decodeMean(top: tf.Tensor4D, bottom: tf.Tensor4D): tf.Tensor {
    const mean = this.observation.mean(this.decode(top, bottom));
    return tf.reshape(mean, [top.shape[0], ...this.eventShape]);
  }

  /** Integer codes of a level as [n, h, w], checked. */
  private checkCodes(codes: tf.Tensor, level: Level): tf.Tensor3D {
    const [h, w] = this.codeShapes[level];
    const shapeOk =
      (codes.rank === 3 || (codes.rank === 4 && codes.shape[3] === 1)) &&
      codes.shape[1] === h &&
      codes.shape[2] === w;
    if (!shapeOk) {
      throw new ShapeError(
        `${this.name}: ${level} codes must be [n, ${h}, ${w}], got [${codes.shape.join(', ')}]`,
      );
    }
    return tf.reshape(codes, [codes.shape[0], h, w]) as tf.Tensor3D;
  }

  /** x as images [B, H, W, C]. */
  private images(x: tf.Tensor): tf.Tensor4D {
    return tf.reshape(x, [x.shape[0], ...this.imageShape]);
  }
}
