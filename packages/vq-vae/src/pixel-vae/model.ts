/**
 * PixelVAE: Gulrajani, Kumar, Ahmed, Taiga, Visin, Vazquez & Courville, "PixelVAE: A Latent Variable
 * Model for Natural Images" (ICLR 2017); and the Variational Lossy Autoencoder: Chen, Kingma, Salimans,
 * Duan, Dhariwal, Schulman, Sutskever & Abbeel, "Variational Lossy Autoencoder" (ICLR 2017).
 *
 * A VAE whose decoder is autoregressive: a global latent z, and a Gated PixelCNN over the pixels
 * conditioned on a feature map decoded from z,
 *
 *   p(z) = N(0, I),   s = D(z) ∈ ℝ^{H×W×C_h},
 *   p(x | z) = Π_i p(x_i | x_<i, s),   p(x_i | x_<i, s) = Bernoulli(σ(f_i(x_<i, s))),
 *   q(z | x) = N(μ(x), diag σ²(x)),
 *
 * f the Gated PixelCNN with the map in every gate (van den Oord et al. 2016, §2.3; `mapChannels` of
 * `@genzoo/autoregressive`), D a dense layer and transposed convolutions up to the image size, μ and σ a
 * stride-2 convolutional encoder. Training maximizes the evidence lower bound with the reparameterized
 * z = μ + σ ⊙ ε, ε ~ N(0, I) (Kingma & Welling 2014),
 *
 *   log p(x) ≥ ELBO(x) = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z)),
 *   KL(q(z | x) ‖ p(z)) = Σ_j ½(μ_j² + σ_j² − 1) − log σ_j,
 *
 * and log p(x) is estimated by importance sampling with K draws from q (Burda et al. 2016),
 *
 *   log p(x) ≈ log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x),   z_k ~ q(z | x).
 *
 * The ignored latent code (VLAE §3): p(x | z) is itself a complete density model, so whatever the
 * PixelCNN can model from x_<i costs no KL, and the bound is highest when z carries only what the
 * PixelCNN cannot see. With a receptive field over the whole image, z is ignored (KL → 0); a field of a
 * few pixels (`pixelcnn.gatedLayers`, `kernelSize`, `firstKernel`) models local texture, and the global
 * shape stays in z ("lossy" codes). `evaluationMetrics` reports the mean KL (`kl_nats`) and the
 * reconstruction term (`reconstruction_nats`, −E_q[log p(x | z)]) so the two can be compared.
 *
 * Sampling draws z ~ p(z), decodes s = D(z) and samples the PixelCNN pixel by pixel given s.
 */

import {
  createGatedPixelCnn,
  gatedPixelcnnConfigSchema,
  type ImageAutoregressiveModel,
} from '@genzoo/autoregressive';
import {
  type Batch,
  Conv2D,
  Conv2DTranspose,
  Dense,
  deriveSeed,
  flattenBatch,
  type GenerativeModel,
  imageShapeOf,
  type LikelihoodOptions,
  type LowerBoundLikelihood,
  type ModelContext,
  Normal,
  type ObjectiveResult,
  ParameterStore,
  Pointwise,
  type SampleOptions,
  ShapeError,
  type StepContext,
  seedOrRandom,
  streamingLogMeanExp,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelVaeConfig } from './config.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Floats one activation tensor of the PixelCNN may hold when many latent draws are scored at once. */
const DECODE_BUDGET_FLOATS = 2 ** 23;
/** Keys of the PixelCNN's variables in `variables()` start with this. */
const PIXELCNN_PREFIX = 'pixelcnn/';

/** The three terms of the bound, per example, [B] each. */
export interface PixelVaeTerms {
  /** ELBO(x) = reconstruction − kl. */
  elbo: tf.Tensor1D;
  /** log p(x | z) at one z ~ q(z | x): an unbiased estimate of E_q[log p(x | z)]. */
  reconstruction: tf.Tensor1D;
  /** KL(q(z | x) ‖ p(z)) in closed form. */
  kl: tf.Tensor1D;
}

export interface PixelVaeEstimateOptions extends LikelihoodOptions {
  seed?: number;
}

export class PixelVae implements GenerativeModel<PixelVaeConfig> {
  readonly likelihood: LowerBoundLikelihood;
  readonly eventShape: readonly number[];
  /** [H, W, C] of the images. */
  readonly imageShape: readonly [number, number, number];
  readonly latentDim: number;
  /** The autoregressive decoder p(x | z), a Gated PixelCNN conditioned on the map s = D(z). */
  readonly pixelcnn: ImageAutoregressiveModel<unknown>;
  private readonly store: ParameterStore;
  private readonly convs: Conv2D[];
  private readonly posteriorLayer: Dense;
  private readonly project: Dense;
  private readonly deconvs: Conv2DTranspose[];
  private readonly toMap: Pointwise;
  /** [h, w, c] of the smallest feature map (the encoder's last, the decoder's first). */
  private readonly bottom: readonly [number, number, number];

  constructor(
    readonly name: string,
    readonly config: PixelVaeConfig,
    context: ModelContext,
  ) {
    this.eventShape = [...context.eventShape];
    const image = imageShapeOf(context.eventShape);
    const layers = config.hidden.length;
    const factor = 2 ** layers;
    if (!image || image[0] % factor !== 0 || image[1] % factor !== 0) {
      throw new ShapeError(
        `${name} needs images whose height and width are multiples of ${factor} (${layers} stride-2 ` +
          `convolutions), got event shape [${context.eventShape.join(', ')}]`,
      );
    }
    this.imageShape = image;
    this.latentDim = config.latentDim;
    const [height, width, channels] = image;
    const top = config.hidden[layers - 1];
    this.bottom = [height / factor, width / factor, top];
    this.store = new ParameterStore(name, context.seed);

    // Encoder: stride-2 4 × 4 convolutions with ReLU, then a dense layer to [μ, log σ].
    let inChannels = channels;
    this.convs = config.hidden.map((c, i) => {
      const conv = new Conv2D(this.store, `encoder/conv${i}`, inChannels, c, { kernelSize: 4, stride: 2 });
      inChannels = c;
      return conv;
    });
    const bottomSize = this.bottom[0] * this.bottom[1] * top;
    this.posteriorLayer = new Dense(this.store, 'encoder/posterior', bottomSize, 2 * config.latentDim);

    // Decoder of the map: dense to the smallest map, transposed convolutions back up (mirroring the
    // encoder's channels), a 1 × 1 convolution to C_h.
    this.project = new Dense(this.store, 'decoder/project', config.latentDim, bottomSize);
    const upChannels = [...config.hidden].reverse();
    this.deconvs = upChannels.map(
      (c, i) =>
        new Conv2DTranspose(
          this.store,
          `decoder/deconv${i}`,
          c,
          upChannels[i + 1] ?? upChannels[layers - 1],
          {
            kernelSize: 4,
            stride: 2,
          },
        ),
    );
    this.toMap = new Pointwise(this.store, 'decoder/map', upChannels[layers - 1] ?? top, config.mapChannels);

    const pixelConfig = gatedPixelcnnConfigSchema.parse({
      ...config.pixelcnn,
      head: { kind: 'bernoulli' },
      mapChannels: config.mapChannels,
    });
    this.pixelcnn = createGatedPixelCnn(`${name}/pixelcnn`, pixelConfig, {
      eventShape: image,
      seed: deriveSeed(context.seed, 'pixelcnn'),
    }) as ImageAutoregressiveModel<unknown>;

    this.likelihood = {
      kind: 'lowerBound',
      lowerBound: (x, options) => this.lowerBound(x, options),
      importanceSampledLogProb: (x, options) => this.importanceSampledLogProb(x, options),
    };
  }

  /** q(z | x) = N(μ(x), diag σ²(x)) for x [B, ...eventShape] (or flattened); use inside tf.tidy. */
  posterior(x: tf.Tensor): Normal {
    let h: tf.Tensor4D = this.images(x);
    for (const conv of this.convs) h = tf.relu(conv.apply(h));
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    const [mean, logScale] = tf.split(this.posteriorLayer.apply(flat), 2, 1);
    return Normal.fromLogScale(mean, logScale);
  }

  /** The posterior's mean and standard deviation, [B, latentDim] each. */
  encode(x: tf.Tensor): { mean: tf.Tensor2D; stddev: tf.Tensor2D } {
    return tf.tidy(() => {
      const q = this.posterior(x);
      return { mean: q.mean() as tf.Tensor2D, stddev: q.stddev() as tf.Tensor2D };
    });
  }

  /** s = D(z), the map [N, H, W, C_h] that conditions the PixelCNN, for z [N, latentDim]. */
  decodeMap(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = tf.reshape(tf.relu(this.project.apply(z)), [z.shape[0], ...this.bottom]) as tf.Tensor4D;
      for (const deconv of this.deconvs) h = tf.relu(deconv.apply(h));
      return this.toMap.apply(h);
    });
  }

  /** log p(x | z) per example, [N], for images x and latents z [N, latentDim]. */
  logLikelihood(x: tf.Tensor, z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => this.pixelcnn.logProb(this.images(x), { map: this.decodeMap(z) }));
  }

  /**
   * The bound's terms per example with one draw z = μ + σ ⊙ ε (reparameterized: gradients reach the
   * encoder through z), and KL(q ‖ p) in closed form. The caller owns the tensors.
   */
  terms(x: tf.Tensor, seed: number): PixelVaeTerms {
    return tf.tidy(() => {
      const q = this.posterior(x);
      const z = q.rsample(seed) as tf.Tensor2D;
      const reconstruction = this.logLikelihood(x, z);
      const kl = tf.sum(q.klToStandardNormal(), 1) as tf.Tensor1D;
      return { elbo: tf.sub(reconstruction, kl) as tf.Tensor1D, reconstruction, kl };
    });
  }

  /** ELBO(x) per example, [B], with one draw from q. */
  lowerBound(x: tf.Tensor, options: PixelVaeEstimateOptions = {}): tf.Tensor1D {
    const seed = seedOrRandom(options.seed);
    return tf.tidy(() => this.terms(x, deriveSeed(seed, 'elbo')).elbo);
  }

  /**
   * log w_k = log p(x | z_k) + log p(z_k) − log q(z_k | x) for `count` draws z_k ~ q(z | x), [count, B]
   * (no gradient through the draws).
   */
  logWeights(x: tf.Tensor, count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const images = this.images(x);
      const batch = images.shape[0];
      const q = this.posterior(images);
      const z = q.sample(seed, [count]); // [count, B, d]
      const logQ = tf.sum(q.logProb(z), -1);
      const logPrior = tf.sub(tf.mul(-0.5, tf.sum(tf.square(z), -1)), this.latentDim * HALF_LOG_2PI);
      const tiled = tf.reshape(tf.tile(tf.expandDims(images, 0), [count, 1, 1, 1, 1]), [
        count * batch,
        ...this.imageShape,
      ]);
      const logPx = tf.reshape(
        this.logLikelihood(tiled, tf.reshape(z, [count * batch, this.latentDim]) as tf.Tensor2D),
        [count, batch],
      );
      return tf.sub(tf.add(logPx, logPrior), logQ) as tf.Tensor2D;
    });
  }

  /** log (1/K) Σ_k p(x, z_k)/q(z_k | x) per example with K = `samples` draws, [B]. */
  importanceSampledLogProb(
    x: tf.Tensor,
    options: PixelVaeEstimateOptions & { samples: number },
  ): tf.Tensor1D {
    const seed = seedOrRandom(options.seed);
    const batch = x.shape[0] as number;
    const [height, width] = this.imageShape;
    // The widest PixelCNN activation per scored image: the stacks' 2c gate inputs at every pixel.
    const { channels, outputChannels } = this.config.pixelcnn;
    const widest = Math.max(2 * channels, outputChannels, this.config.mapChannels, ...this.config.hidden);
    const rows = Math.max(1, Math.floor(DECODE_BUDGET_FLOATS / (height * width * widest)));
    const chunkSize = Math.max(1, Math.min(options.samples, Math.floor(rows / Math.max(batch, 1))));
    return streamingLogMeanExp(
      (count, chunk) => this.logWeights(x, count, deriveSeed(seed, 'importance', chunk)),
      { samples: options.samples, chunkSize },
    );
  }

  /**
   * n images: z ~ N(0, I), s = D(z), then the PixelCNN pixel by pixel given s. `temperature` sharpens
   * (or flattens) the pixel conditionals; z is drawn from the prior itself.
   */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError(`${this.name}.sample: n must be a positive integer, got ${n}`);
    const seed = seedOrRandom(options.seed);
    const z = tf.randomNormal([n, this.latentDim], 0, 1, 'float32', deriveSeed(seed, 'z')) as tf.Tensor2D;
    try {
      return this.sampleGiven(z, { seed: deriveSeed(seed, 'pixels'), temperature: options.temperature });
    } finally {
      z.dispose();
    }
  }

  /**
   * Images drawn from p(x | z) for given latents z [n, latentDim], e.g. the posterior means of `encode`:
   * what z keeps of an image, the PixelCNN filling in the rest.
   */
  sampleGiven(z: tf.Tensor2D, options: SampleOptions = {}): tf.Tensor {
    const map = this.decodeMap(z);
    try {
      const drawn = this.pixelcnn.sample(map.shape[0], {
        seed: seedOrRandom(options.seed),
        temperature: options.temperature,
        map,
      });
      const images = tf.reshape(drawn, [map.shape[0], ...this.eventShape]);
      drawn.dispose();
      return images;
    } finally {
      map.dispose();
    }
  }

  /** Draws from p(x | z = μ(x)) for each example of x: what the latent keeps of it, [B, ...eventShape]. */
  reconstruct(x: tf.Tensor, options: SampleOptions = {}): tf.Tensor {
    const mean = tf.tidy(() => this.posterior(x).mean() as tf.Tensor2D);
    try {
      return this.sampleGiven(mean, options);
    } finally {
      mean.dispose();
    }
  }

  /**
   * Per-batch means (evaluation averages them): `kl_nats`, KL(q(z | x) ‖ p(z)), and `reconstruction_nats`,
   * −log p(x | z) at one z ~ q (seeded, so evaluations repeat).
   */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const { reconstruction, kl } = this.terms(batch.x, deriveSeed(0, 'evaluate'));
      return {
        kl_nats: tf.mean(kl) as tf.Scalar,
        reconstruction_nats: tf.neg(tf.mean(reconstruction)) as tf.Scalar,
      };
    });
  }

  /** Every variable: the encoder's and the map decoder's, and the PixelCNN's under `pixelcnn/`. */
  variables(): Record<string, tf.Variable> {
    const all = this.store.all();
    for (const [key, v] of Object.entries(this.pixelcnn.variables())) all[PIXELCNN_PREFIX + key] = v;
    return all;
  }

  trainingPlan(): TrainingPlan {
    return {
      players: [
        {
          kind: 'gradient',
          name: this.name,
          variables: () => Object.values(this.variables()).filter((v) => v.trainable),
          objective: { name: 'elbo', compute: (batch, context) => this.objective(batch, context) },
        },
      ],
    };
  }

  /**
   * The loss −(mean log p(x | z) − β_t · KL_λ), one reparameterized draw per example, with the warm-up
   * weight β_t = min(1, t / klWarmupSteps) and the free-bits KL_λ = Σ_j max(λ, mean_batch KL_j) (the plain
   * batch-mean KL when λ = 0); with neither it is −mean ELBO. Logs the ELBO itself, the KL and the
   * reconstruction term.
   */
  objective(batch: Batch, context: StepContext): ObjectiveResult {
    const { klWarmupSteps, freeBits } = this.config;
    const q = this.posterior(batch.x);
    const z = q.rsample(context.nextSeed()) as tf.Tensor2D;
    const reconstruction = tf.mean(this.logLikelihood(batch.x, z)) as tf.Scalar;
    const klPerDim = tf.mean(q.klToStandardNormal(), 0) as tf.Tensor1D;
    const kl = tf.sum(klPerDim) as tf.Scalar;
    const penalty = freeBits > 0 ? tf.sum(tf.maximum(klPerDim, freeBits)) : kl;
    const weight = klWarmupSteps > 0 ? Math.min(1, context.step / klWarmupSteps) : 1;
    return {
      loss: tf.neg(tf.sub(reconstruction, tf.mul(weight, penalty))) as tf.Scalar,
      metrics: {
        elbo: tf.sub(reconstruction, kl) as tf.Scalar,
        kl,
        reconstruction: tf.neg(reconstruction) as tf.Scalar,
      },
    };
  }

  dispose(): void {
    this.store.dispose();
    this.pixelcnn.dispose();
  }

  /** x as images [B, H, W, C]. */
  private images(x: tf.Tensor): tf.Tensor4D {
    const flat = flattenBatch(x, this.eventShape, `${this.name}: x`);
    return tf.reshape(flat, [flat.shape[0], ...this.imageShape]);
  }
}
