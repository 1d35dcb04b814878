/**
 * A VAE with two stochastic layers, in the two-layer architecture of Burda, Grosse & Salakhutdinov (2016,
 * "Importance Weighted Autoencoders", §5: 784-100-100-z₁(100)-50-50-z₂(50), tanh):
 *
 *   generative model   p(z₂) = N(0, I),  p(z₁|z₂) = N(μ_θ(z₂), diag σ²_θ(z₂)),  p(x|z₁)
 *   inference model    q(z₁|x) = N(μ_φ(x), diag σ²_φ(x)),  q(z₂|z₁) = N(μ_φ(z₁), diag σ²_φ(z₁))
 *
 *   log w = log p(x|z₁) + log p(z₁|z₂) + log p(z₂) − log q(z₁|x) − log q(z₂|z₁),   (z₁, z₂) ~ q
 *
 * trained on the ELBO E_q[log w] or the k-sample bound log (1/k) Σ w_s. The KL of z₂ given z₁ is in closed
 * form; that of z₁ is the one-draw estimate log q(z₁|x) − log p(z₁|z₂), so free bits and the
 * score-function estimator treat it as sample-dependent.
 *
 * As a LatentModel the top layer z₂ is the latent space (its prior is N(0, I), as the latent-space
 * pictures assume), with the intermediate layer at its mean: encode(x) is q(z₂|μ₁(x)) and decode(z₂) is
 * E[x|z₁ = μ_θ(z₂)].
 */
import {
  type Activation,
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
import type { ObjectiveSettings } from '../common/config/training.js';
import { gaussianFromOutputs, standardNormalLogProb } from '../common/gaussian-latent.js';
import { buildObservationModel } from '../common/likelihoods/build.js';
import type { ObservationModel } from '../common/likelihoods/types.js';
import { MlpDecoder, MlpEncoder } from '../common/networks/mlp.js';
import type { PassOptions, VariationalPass } from '../common/objectives/pass.js';
import { VariationalModel } from '../common/variational-model.js';

export interface TwoLayerConfig {
  /** [z₁, z₂] dimensions. */
  latentDims: [number, number];
  /** Hidden sizes [x → z₁, z₁ → z₂] of the inference networks; the generative ones mirror them. */
  hidden: [number[], number[]];
  activation: Activation;
  likelihood: LikelihoodConfig;
  sampleOutput: 'mean' | 'draw';
}

export class TwoLayerVae<Config extends TwoLayerConfig = TwoLayerConfig> extends VariationalModel<Config> {
  readonly latentDim: number;
  readonly observation: ObservationModel;
  protected readonly decodeRowFloats: number;
  private readonly bottom: number;
  private readonly inferBottom: MlpEncoder;
  private readonly inferTop: MlpEncoder;
  private readonly generateBottom: MlpDecoder;
  private readonly generateData: MlpDecoder;

  constructor(name: string, config: Config, context: ModelContext, objective: ObjectiveSettings) {
    super(name, config, context.eventShape, context.seed, objective, 0);
    const [z1, z2] = config.latentDims;
    const [hidden1, hidden2] = config.hidden;
    this.bottom = z1;
    this.latentDim = z2;
    this.observation = buildObservationModel(config.likelihood, this.dims);
    const { perDim, perExample } = this.observation.outputs;
    const act = config.activation;
    this.inferBottom = new MlpEncoder(this.store, 'encoder/z1', this.dims, hidden1, 2 * z1, act);
    this.inferTop = new MlpEncoder(this.store, 'encoder/z2', z1, hidden2, 2 * z2, act);
    this.generateBottom = new MlpDecoder(this.store, 'decoder/z1', z2, hidden2, 2 * z1, act);
    this.generateData = new MlpDecoder(
      this.store,
      'decoder/x',
      z1,
      hidden1,
      this.dims * perDim + perExample,
      act,
    );
    this.decodeRowFloats = Math.max(
      this.generateData.activationsPerRow,
      this.generateBottom.activationsPerRow,
    );
  }

  protected forward(x: tf.Tensor2D, options: PassOptions): VariationalPass {
    const { samples, seed } = options;
    const batch = x.shape[0];
    const rows = samples * batch;
    const [d1, d2] = this.config.latentDims;
    const draw = (q: ReturnType<typeof gaussianFromOutputs>, s: number, shape: number[]) =>
      options.reparameterize ? q.rsample(s, shape) : q.sample(s, shape);

    const q1 = gaussianFromOutputs(this.inferBottom.apply(x));
    const z1 = draw(q1, deriveSeed(seed, 'z1'), [samples]); // [S, B, d1]
    const z1Rows = tf.reshape(z1, [rows, d1]) as tf.Tensor2D;
    const q2 = gaussianFromOutputs(this.inferTop.apply(z1Rows));
    const z2 = draw(q2, deriveSeed(seed, 'z2'), []) as tf.Tensor2D; // [S·B, d2]
    const p1 = gaussianFromOutputs(this.generateBottom.apply(z2));

    const bySample = (t: tf.Tensor, last?: number) =>
      tf.reshape(t, last === undefined ? [samples, batch] : [samples, batch, last]);
    const logQ1 = q1.logProb(z1); // [S, B, d1]
    const logP1 = bySample(p1.logProb(z1Rows), d1);
    const logPosterior = tf.add(tf.sum(logQ1, -1), bySample(tf.sum(q2.logProb(z2), -1))) as tf.Tensor2D;
    const logPrior = tf.add(bySample(standardNormalLogProb(z2)), tf.sum(logP1, -1));
    const outputs = tf.reshape(this.generateData.apply(z1Rows), [samples, batch, -1]);
    return {
      logLikelihood: this.observation.logProb(outputs, x) as tf.Tensor2D,
      logRatio: tf.sub(logPrior, logPosterior) as tf.Tensor2D,
      logPosterior,
      klPerDim: tf.concat([tf.sub(logQ1, logP1), bySample(q2.klToStandardNormal(), d2)], -1) as tf.Tensor3D,
      sampledKl: true,
    };
  }

  /** q(z₂|z₁ = μ₁(x)): mean and standard deviation of the top layer, [B, z₂]. */
  encode(x: tf.Tensor, _options?: LikelihoodOptions): { mean: tf.Tensor2D; stddev: tf.Tensor2D } {
    return tf.tidy(() => {
      const flat = flattenBatch(x, this.eventShape, `${this.name}.encode: x`);
      const [mean1] = tf.split(this.inferBottom.apply(flat), 2, -1);
      const q2 = gaussianFromOutputs(this.inferTop.apply(mean1 as tf.Tensor2D));
      return { mean: q2.mean() as tf.Tensor2D, stddev: q2.stddev() as tf.Tensor2D };
    });
  }

  /** E[x|z₁] at z₁ = μ_θ(z₂), [n, ...eventShape]. */
  decode(z: tf.Tensor2D, _options?: LikelihoodOptions): tf.Tensor {
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(
        `${this.name}.decode: z must be [n, ${this.latentDim}], got [${z.shape.join(', ')}]`,
      );
    }
    return tf.tidy(() => {
      const [mean1] = tf.split(this.generateBottom.apply(z), 2, -1);
      const outputs = this.generateData.apply(mean1 as tf.Tensor2D);
      return tf.reshape(this.observation.mean(outputs), [z.shape[0], ...this.eventShape]);
    });
  }

  /** z₂ ~ N(0, T²I), z₁ ~ p(z₁|z₂) with its noise scaled by T, then the mean of p(x|z₁) or a draw. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    return tf.tidy(() => {
      const z2 = tf.randomNormal(
        [n, this.latentDim],
        0,
        temperature,
        'float32',
        deriveSeed(seed, 'z2'),
      ) as tf.Tensor2D;
      const p1 = gaussianFromOutputs(this.generateBottom.apply(z2));
      const noise = tf.randomNormal([n, this.bottom], 0, temperature, 'float32', deriveSeed(seed, 'z1'));
      const z1 = tf.add(p1.loc, tf.mul(p1.stddev(), noise)) as tf.Tensor2D;
      const outputs = this.generateData.apply(z1);
      const x =
        this.config.sampleOutput === 'draw'
          ? this.observation.sample(outputs, deriveSeed(seed, 'observation'))
          : this.observation.mean(outputs);
      return tf.reshape(x, [n, ...this.eventShape]);
    });
  }
}
