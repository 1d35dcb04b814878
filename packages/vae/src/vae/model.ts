/**
 * The variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes"; Rezende et al.
 * 2014) with one Gaussian latent layer:
 *
 *   p(z) = N(0, I),   p_θ(x|z) from the decoder (Bernoulli or Gaussian, see common/likelihoods/),
 *   q_φ(z|x) = N(μ_φ(x), diag σ²_φ(x)),   z = μ + σ ⊙ ε,  ε ~ N(0, I)     (reparameterization, §2.4)
 *   KL(q ‖ p) = Σ_j ½(μ_j² + σ_j² − 1) − log σ_j                          (closed form, App. B)
 *
 * The same class is the β-VAE (the KL weighted by β, Higgins et al. 2017; beta-vae/model.ts), the IWAE
 * (trained on the k-sample bound, Burda et al. 2016; iwae/model.ts) and, with labels y joined to the
 * encoder's and decoder's inputs, the conditional VAE q(z|x, y), p(x|z, y) of Sohn et al. (2015) (see
 * ConditionalVae, cvae/model.ts); the objective is chosen by `ObjectiveSettings`.
 */
import {
  deriveSeed,
  flattenBatch,
  type LikelihoodOptions,
  type ModelContext,
  type SampleOptions,
  ShapeError,
  seedOrRandom,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LikelihoodConfig } from '../common/config/likelihood.js';
import type { NetworkConfig } from '../common/config/network.js';
import type { ObjectiveSettings } from '../common/config/training.js';
import { gaussianFromOutputs, standardNormalLogProb } from '../common/gaussian-latent.js';
import { buildObservationModel } from '../common/likelihoods/build.js';
import type { ObservationModel } from '../common/likelihoods/types.js';
import { buildDecoder, buildEncoder } from '../common/networks/build.js';
import type { Decoder, Encoder } from '../common/networks/types.js';
import type { PassOptions, VariationalPass } from '../common/objectives/pass.js';
import { VariationalModel } from '../common/variational-model.js';

/** The config keys the single-layer model reads (each model's schema adds its own). */
export interface SingleLayerConfig {
  latentDim: number;
  network: NetworkConfig;
  likelihood: LikelihoodConfig;
  sampleOutput: 'mean' | 'draw';
}

export class Vae<Config extends SingleLayerConfig = SingleLayerConfig> extends VariationalModel<Config> {
  readonly latentDim: number;
  readonly observation: ObservationModel;
  protected readonly decodeRowFloats: number;
  private readonly encoder: Encoder;
  private readonly decoder: Decoder;

  constructor(
    name: string,
    config: Config,
    context: ModelContext,
    objective: ObjectiveSettings,
    /** Classes for a conditional model (labels joined to both networks' inputs); 0 for none. */
    classes = 0,
  ) {
    super(name, config, context.eventShape, context.seed, objective, classes);
    this.latentDim = config.latentDim;
    this.observation = buildObservationModel(config.likelihood, this.dims);
    this.encoder = buildEncoder(
      this.store,
      'encoder',
      config.network,
      this.eventShape,
      classes,
      2 * config.latentDim,
    );
    this.decoder = buildDecoder(
      this.store,
      'decoder',
      config.network,
      this.eventShape,
      config.latentDim + classes,
      this.observation.outputs,
    );
    this.decodeRowFloats = this.decoder.activationsPerRow;
  }

  protected forward(x: tf.Tensor2D, options: PassOptions): VariationalPass {
    const { samples, seed, condition } = options;
    const batch = x.shape[0];
    const posterior = gaussianFromOutputs(this.encoder.apply(x, condition));
    const z = options.reparameterize ? posterior.rsample(seed, [samples]) : posterior.sample(seed, [samples]);
    const logPosterior = tf.sum(posterior.logProb(z), -1) as tf.Tensor2D;
    const outputs = this.decodeOutputs(tf.reshape(z, [samples * batch, this.latentDim]), condition, samples);
    const logLikelihood = this.observation.logProb(
      tf.reshape(outputs, [samples, batch, -1]),
      x,
    ) as tf.Tensor2D;
    return {
      logLikelihood,
      logRatio: tf.sub(standardNormalLogProb(z), logPosterior) as tf.Tensor2D,
      logPosterior,
      klPerDim: tf.expandDims(posterior.klToStandardNormal(), 0) as tf.Tensor3D,
      sampledKl: false,
    };
  }

  /** The posterior q(z|x): mean μ(x) and standard deviation σ(x), [B, latentDim]. */
  encode(x: tf.Tensor, options: LikelihoodOptions = {}): { mean: tf.Tensor2D; stddev: tf.Tensor2D } {
    return tf.tidy(() => {
      const flat = flattenBatch(x, this.eventShape, `${this.name}.encode: x`);
      const condition = this.conditionFor(options.condition, flat.shape[0], 'encode');
      const posterior = gaussianFromOutputs(this.encoder.apply(flat, condition));
      return { mean: posterior.mean() as tf.Tensor2D, stddev: posterior.stddev() as tf.Tensor2D };
    });
  }

  /** E[x|z], [n, ...eventShape] (σ(logits) for Bernoulli, μ for Gaussian). */
  decode(z: tf.Tensor2D, options: LikelihoodOptions = {}): tf.Tensor {
    this.checkLatent(z, 'decode');
    return tf.tidy(() => {
      const condition = this.conditionFor(options.condition, z.shape[0], 'decode');
      const mean = this.observation.mean(this.decodeOutputs(z, condition, 1));
      return tf.reshape(mean, [z.shape[0], ...this.eventShape]);
    });
  }

  /**
   * z ~ N(0, T²I) (T the temperature), then the mean of p(x|z) or a draw from it (`sampleOutput`),
   * [n, ...eventShape].
   */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    return tf.tidy(() => {
      const condition = this.conditionFor(options.condition, n, 'sample');
      const z = tf.randomNormal(
        [n, this.latentDim],
        0,
        temperature,
        'float32',
        deriveSeed(seed, 'latent'),
      ) as tf.Tensor2D;
      const outputs = this.decodeOutputs(z, condition, 1);
      const x =
        this.config.sampleOutput === 'draw'
          ? this.observation.sample(outputs, deriveSeed(seed, 'observation'))
          : this.observation.mean(outputs);
      return tf.reshape(x, [n, ...this.eventShape]);
    });
  }

  /** Decoder outputs for latents [N, latentDim], with each example's labels repeated for its `samples` draws. */
  private decodeOutputs(z: tf.Tensor2D, condition: tf.Tensor2D | undefined, samples: number): tf.Tensor2D {
    if (!condition) return this.decoder.apply(z);
    const labels = samples === 1 ? condition : tf.tile(condition, [samples, 1]);
    return this.decoder.apply(tf.concat([z, labels], 1));
  }

  private checkLatent(z: tf.Tensor, what: string): void {
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(
        `${this.name}.${what}: z must be [n, ${this.latentDim}], got [${z.shape.join(', ')}]`,
      );
    }
  }
}
