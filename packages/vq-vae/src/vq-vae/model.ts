/**
 * VQ-VAE: van den Oord, Vinyals & Kavukcuoglu, "Neural Discrete Representation Learning" (NeurIPS 2017).
 *
 * An encoder maps x to a grid of vectors z_e(x) ∈ ℝ^{h×w×D}; each is replaced by its nearest of K codes,
 * z_q(x) = e_k with k = argmin_j ‖z_e(x) − e_j‖² (the posterior q(z = k | x) is one-hot); the decoder maps
 * z_q to p(x | z_q). Gradients reach the encoder through the straight-through estimator
 * z_q = z_e + sg[e_k − z_e], and the loss per example is (eq. 3)
 *
 *   L = −log p(x | z_q(x)) + ‖sg[z_e(x)] − e‖² + β ‖z_e(x) − sg[e]‖²,
 *
 * the middle (codebook) term dropped when the codebook follows exponential moving averages instead
 * (App. A.1; see `common/quantizer.ts`).
 *
 * Likelihood. With the uniform prior p(z) = 1/K per position of the paper's training, the deterministic
 * posterior has KL(q ‖ p) = log K per position, so
 *
 *   log p(x) ≥ log p(x | z_q(x)) − h·w·log K,
 *
 * a lower bound (`lowerBound`). The posterior is a point mass, so an importance-sampled estimate with q as
 * proposal equals the bound for any number of samples; `importanceSampledLogProb` returns it.
 *
 * Sampling. Without a learned prior, codes are drawn uniformly over K at every position and decoded (the
 * paper's baseline); `encodeCodes` and `decodeCodes` let a prior fitted to the codes (a PixelCNN, see
 * `createCodePrior` in `@genzoo/autoregressive`) replace the uniform draw.
 */
import {
  type Batch,
  flattenBatch,
  type GenerativeModel,
  imageShapeOf,
  type LevelReconstruction,
  type LowerBoundLikelihood,
  type ModelContext,
  type Objective,
  ParameterStore,
  type SampleOptions,
  ShapeError,
  type StepContext,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { Decoder, Encoder } from '../common/networks.js';
import { type Observation, observationOf } from '../common/observation.js';
import { type Quantized, VectorQuantizer } from '../common/quantizer.js';
import type { VqVaeConfig } from './config.js';

/** One pass x → z_e → z_q → decoder outputs; the caller owns every tensor. */
export interface VqPass {
  ze: tf.Tensor4D;
  quantized: Quantized;
  /** Decoder outputs (means or logits) on flattened examples, [B, H·W·C]. */
  outputs: tf.Tensor2D;
  /** log p(x | z_q) per example, [B]. */
  logLikelihood: tf.Tensor1D;
}

export class VqVae implements GenerativeModel<VqVaeConfig> {
  readonly likelihood: LowerBoundLikelihood;
  readonly eventShape: readonly number[];
  /** [H, W, C] of the images. */
  readonly imageShape: readonly [number, number, number];
  /** [h, w] of the code grid. */
  readonly codeShape: readonly [number, number];
  readonly codebookSize: number;
  readonly quantizer: VectorQuantizer;
  /** Codes re-seeded by the last dead-code restart. */
  lastRestarted = 0;
  private readonly store: ParameterStore;
  private readonly encoder: Encoder;
  private readonly decoder: Decoder;
  private readonly observation: Observation;
  private readonly dims: number;

  constructor(
    readonly name: string,
    readonly config: VqVaeConfig,
    context: ModelContext,
  ) {
    this.eventShape = [...context.eventShape];
    const image = imageShapeOf(context.eventShape);
    const factor = 2 ** config.hidden.length;
    if (!image || image[0] % factor !== 0 || image[1] % factor !== 0) {
      throw new ShapeError(
        `${name} needs images whose height and width are multiples of ${factor} (${config.hidden.length} stride-2 ` +
          `convolutions), got event shape [${context.eventShape.join(', ')}]`,
      );
    }
    this.imageShape = image;
    this.codeShape = [image[0] / factor, image[1] / factor];
    this.dims = image[0] * image[1] * image[2];
    this.codebookSize = config.codebookSize;
    this.store = new ParameterStore(name, context.seed);
    const network = {
      hidden: config.hidden,
      residualBlocks: config.residualBlocks,
      residualChannels: config.residualChannels,
    };
    this.encoder = new Encoder(this.store, image[2], config.codeDim, network);
    this.quantizer = new VectorQuantizer(this.store, 'quantizer', {
      codebookSize: config.codebookSize,
      codeDim: config.codeDim,
      update: config.codebook.update,
      decay: config.codebook.decay,
      epsilon: config.codebook.epsilon,
    });
    this.decoder = new Decoder(this.store, image[2], config.codeDim, network);
    this.observation = observationOf(config.decoder);
    this.likelihood = {
      kind: 'lowerBound',
      lowerBound: (x) => this.lowerBound(x),
      importanceSampledLogProb: (x) => this.lowerBound(x),
    };
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  /** z_e(x), the encoder outputs [B, h, w, D] for x [B, ...eventShape] (or flattened). */
  encodeContinuous(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.encoder.apply(this.images(x)));
  }

  /** The code indices k(x) of x, int32 [B, h, w]. */
  encodeCodes(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const ze = this.encoder.apply(this.images(x));
      const indices = this.quantizer.nearest(tf.reshape(ze, [-1, this.config.codeDim]) as tf.Tensor2D);
      return tf.reshape(indices, [ze.shape[0], ...this.codeShape]) as tf.Tensor3D;
    });
  }

  /** E[x | z_q] for integer codes [n, h, w] (or [n, h, w, 1]): images [n, ...eventShape]. */
  decodeCodes(indices: tf.Tensor): tf.Tensor {
    const [h, w] = this.codeShape;
    const shapeOk =
      (indices.rank === 3 || (indices.rank === 4 && indices.shape[3] === 1)) &&
      indices.shape[1] === h &&
      indices.shape[2] === w;
    if (!shapeOk) {
      throw new ShapeError(`${this.name}: codes must be [n, ${h}, ${w}], got [${indices.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const n = indices.shape[0];
      const zq = this.quantizer.lookup(tf.reshape(indices, [n, h, w])) as tf.Tensor4D;
      const mean = this.observation.mean(this.decoder.apply(zq));
      return tf.reshape(mean, [n, ...this.eventShape]);
    });
  }

  /** E[x | z_q(x)], the reconstructions of x, [B, ...eventShape]. */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { outputs } = this.pass(x);
      return tf.reshape(this.observation.mean(outputs), [x.shape[0], ...this.eventShape]);
    });
  }

  /** One level of codes: the reconstructions of x, for the run's `levels.png` (test images above them). */
  levelReconstructions(x: tf.Tensor): LevelReconstruction[] {
    return [{ label: 'codes', images: this.reconstruct(x) }];
  }

  /** The forward pass; the caller owns the tensors (use inside tf.tidy). */
  pass(x: tf.Tensor): VqPass {
    const flat = flattenBatch(x, this.eventShape, `${this.name}: x`);
    const ze = this.encoder.apply(this.images(flat));
    const quantized = this.quantizer.quantize(ze);
    const decoded = this.decoder.apply(quantized.zq as tf.Tensor4D);
    const outputs = tf.reshape(decoded, [flat.shape[0], this.dims]) as tf.Tensor2D;
    return { ze, quantized, outputs, logLikelihood: this.observation.logProb(outputs, flat) };
  }

  /** log p(x | z_q(x)) − h·w·log K per example, [B]: a lower bound on log p(x) (uniform code prior). */
  lowerBound(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => tf.sub(this.pass(x).logLikelihood, this.priorNats()) as tf.Tensor1D);
  }

  /** −log p(z) of one code grid under the uniform prior: h·w·log K nats. */
  priorNats(): number {
    return this.codeShape[0] * this.codeShape[1] * Math.log(this.codebookSize);
  }

  /** Uniform codes at every position (the paper's baseline prior), decoded: [n, ...eventShape]. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      const codes = tf.randomUniform(
        [n, ...this.codeShape],
        0,
        this.codebookSize,
        'int32',
        seedOrRandom(options.seed),
      );
      return this.decodeCodes(codes);
    });
  }

  /** Test-set metrics: reconstruction MSE of E[x | z_q], code perplexity and codes used, per batch. */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const { outputs, quantized } = this.pass(batch.x);
      const flat = flattenBatch(batch.x, this.eventShape, `${this.name}: x`);
      const reconMse = tf.mean(tf.square(tf.sub(this.observation.mean(outputs), flat))) as tf.Scalar;
      return { recon_mse: reconMse, perplexity: quantized.perplexity, codes_used: quantized.codesUsed };
    });
  }

  /** The codebook starts as K distinct encoder outputs of the first batch (`codebook.init: 'data'`). */
  initialize(x: tf.Tensor, seed: number): void {
    if (this.config.codebook.init !== 'data') return;
    tf.tidy(() => {
      const ze = this.encodeContinuous(x);
      this.quantizer.initializeFrom(tf.reshape(ze, [-1, this.config.codeDim]) as tf.Tensor2D, seed);
    });
  }

  trainingPlan(): TrainingPlan {
    const objective: Objective = {
      name: 'vq-vae',
      compute: (batch, context) => this.objective(batch, context),
    };
    return {
      players: [
        {
          kind: 'gradient',
          name: this.name,
          // With EMA updates the codebook is not trainable and so not among these.
          variables: () => this.store.trainable(),
          objective,
        },
      ],
    };
  }

  /** L = −log p(x | z_q) + ‖sg[z_e] − e‖² + β‖z_e − sg[e]‖², averaged over the batch (see the module doc). */
  objective(batch: Batch, context: StepContext) {
    const { ze, quantized, outputs, logLikelihood } = this.pass(batch.x);
    const reconstruction = tf.neg(tf.mean(logLikelihood)) as tf.Scalar;
    const codebook = tf.mean(quantized.codebookLoss) as tf.Scalar;
    const commitment = tf.mean(quantized.commitmentLoss) as tf.Scalar;
    const ema = this.config.codebook.update === 'ema';
    let loss = tf.add(reconstruction, tf.mul(this.config.beta, commitment));
    if (!ema) loss = tf.add(loss, codebook);
    const restarted = this.quantizer.trainingUpdate(ze, quantized, this.config.deadCodeRestart, context);
    if (restarted !== undefined) this.lastRestarted = restarted;
    const flat = flattenBatch(batch.x, this.eventShape, `${this.name}: x`);
    const reconMse = tf.mean(tf.square(tf.sub(this.observation.mean(outputs), flat))) as tf.Scalar;
    return {
      loss: loss as tf.Scalar,
      metrics: {
        reconstruction,
        commitment,
        perplexity: quantized.perplexity,
        codesUsed: quantized.codesUsed,
        reconMse,
      },
    };
  }

  /** x as images [B, H, W, C]. */
  private images(x: tf.Tensor): tf.Tensor4D {
    return tf.reshape(x, [x.shape[0], ...this.imageShape]);
  }

  dispose(): void {
    this.store.dispose();
  }
}
