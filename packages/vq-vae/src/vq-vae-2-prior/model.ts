/**
 * The two-stage VQ-VAE-2 (Razavi, van den Oord & Vinyals, NeurIPS 2019, §3.2, Alg. 2): a trained VQ-VAE-2,
 * frozen, and a prior per level fitted to the codes its encoder assigns to the data —
 *
 *   p(z_t, z_b) = p_top(z_t) · p_bottom(z_b | z_t),
 *
 * the top prior a Gated PixelCNN over the top grid (7 × 7 for 28 × 28 images), the bottom one a Gated
 * PixelCNN over the bottom grid (14 × 14) conditioned on the top codes through a spatial map (the top
 * codes' vectors e_t, nearest-neighbour upsampled to the bottom grid, entering every gated layer through
 * 1 × 1 convolutions: van den Oord et al. 2016's conditioning on a map).
 *
 * Training fits both priors at once: each batch of images is encoded to (z_t, z_b) by the frozen encoder
 * and one player minimizes −log p_top(z_t) − log p_bottom(z_b | z_t) (batch means; each logged apart).
 * Sampling draws top codes from the top prior, bottom codes from the bottom prior given them, and decodes
 * both with the VQ-VAE-2's decoder. The likelihood is the VQ-VAE-2's bound with the learned priors in
 * place of the uniform ones (the posterior is a point mass, so the KL term is −log p(z_t, z_b)):
 *
 *   log p(x) ≥ log p(x | z_t(x), z_b(x)) + log p_top(z_t(x)) + log p_bottom(z_b(x) | z_t(x)).
 *
 * The VQ-VAE-2's variables are the model's too (so its checkpoint is self-contained), but no player trains them.
 */
import { type CodePrior, createCodePrior } from '@genzoo/autoregressive';
import {
  type Batch,
  ConfigError,
  deriveSeed,
  type GenerativeModel,
  type LevelReconstruction,
  type LevelReconstructions,
  type LikelihoodOptions,
  type LowerBoundLikelihood,
  type ModelContext,
  type SampleOptions,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { assignWeights, firstStageOf } from '../two-stage/frozen.js';
import { vqVae2ConfigSchema } from '../vq-vae-2/config.js';
import { VqVae2 } from '../vq-vae-2/model.js';
import type { VqVae2PriorConfig } from './config.js';

const PREFIXES = { vqvae: 'vqvae/', top: 'top/', bottom: 'bottom/' } as const;

/** Per-example log-probabilities of one batch under the two priors, nats [B] each. */
export interface PriorTerms {
  top: tf.Tensor1D;
  bottom: tf.Tensor1D;
}

export class TwoStageVqVae2 implements GenerativeModel<VqVae2PriorConfig>, LevelReconstructions {
  readonly likelihood: LowerBoundLikelihood;
  readonly eventShape: readonly number[];
  /** The frozen VQ-VAE-2 (encoders, codebooks, decoder). */
  readonly vqvae: VqVae2;
  /** p_top(z_t): a Gated PixelCNN over the top grid. */
  readonly topPrior: CodePrior;
  /** p_bottom(z_b | z_t): a Gated PixelCNN over the bottom grid, conditioned on the map `vqvae.topCodeMap(z_t)`. */
  readonly bottomPrior: CodePrior;
  /** Classes of class-conditional priors (undefined otherwise). */
  readonly numClasses?: number;
  readonly config: VqVae2PriorConfig;

  constructor(
    readonly name: string,
    config: VqVae2PriorConfig,
    context: ModelContext,
  ) {
    const { frozen, source } = firstStageOf(name, config, context, 'vq-vae-2');
    this.config = { ...config, frozen };
    this.eventShape = [...context.eventShape];
    this.vqvae = new VqVae2('vq-vae-2', vqVae2ConfigSchema.parse(frozen.config), {
      eventShape: context.eventShape,
      seed: source?.seed ?? context.seed,
    });
    const created: CodePrior[] = [];
    try {
      if (source) assignWeights(name, this.vqvae.variables(), source.weights, config.vqvae!);
      if (config.conditional && context.numClasses === undefined) {
        throw new ConfigError(`${name}: class-conditional priors (conditional) need a labelled dataset`);
      }
      this.numClasses = config.conditional ? context.numClasses : undefined;
      const conditional = config.conditional ? { conditional: true } : {};
      this.topPrior = createCodePrior({
        codeShape: this.vqvae.codeShapes.top,
        categories: this.vqvae.codebookSizes.top,
        network: 'gated-pixelcnn',
        config: { ...config.top, ...conditional },
        numClasses: this.numClasses,
        seed: deriveSeed(context.seed, 'top'),
      });
      created.push(this.topPrior);
      this.bottomPrior = createCodePrior({
        codeShape: this.vqvae.codeShapes.bottom,
        categories: this.vqvae.codebookSizes.bottom,
        network: 'gated-pixelcnn',
        config: { ...config.bottom, ...conditional },
        numClasses: this.numClasses,
        mapChannels: this.vqvae.config.codeDim,
        seed: deriveSeed(context.seed, 'bottom'),
      });
    } catch (error) {
      for (const prior of created) prior.dispose();
      this.vqvae.dispose();
      throw error;
    }
    this.likelihood = {
      kind: 'lowerBound',
      lowerBound: (x, options) => this.lowerBound(x, options),
      // The posterior is a point mass: the importance-sampled estimate is the bound for any sample count.
      importanceSampledLogProb: (x, options) => this.lowerBound(x, options),
    };
  }

  variables(): Record<string, tf.Variable> {
    const all: Record<string, tf.Variable> = {};
    const parts = {
      vqvae: this.vqvae.variables(),
      top: this.topPrior.model.variables(),
      bottom: this.bottomPrior.model.variables(),
    };
    for (const [part, variables] of Object.entries(parts)) {
      const prefix = PREFIXES[part as keyof typeof PREFIXES];
      for (const [key, v] of Object.entries(variables)) all[prefix + key] = v;
    }
    return all;
  }

  /** log p_top(z_t) and log p_bottom(z_b | z_t) per example for codes of both levels, nats [B] each. */
  codesLogProb(codes: { top: tf.Tensor; bottom: tf.Tensor }, options: LikelihoodOptions = {}): PriorTerms {
    const [top, bottom] = tf.tidy(() => {
      const condition = this.conditionOf(options.condition);
      const map = this.vqvae.topCodeMap(codes.top);
      return [
        this.topPrior.logProb(codes.top, { condition }),
        this.bottomPrior.logProb(codes.bottom, { condition, map }),
      ];
    });
    return { top, bottom };
  }

  /** The priors' terms of x's codes, nats [B] each. */
  priorLogProbs(x: tf.Tensor, options: LikelihoodOptions = {}): PriorTerms {
    const codes = this.vqvae.encodeCodes(x);
    try {
      return this.codesLogProb(codes, options);
    } finally {
      tf.dispose([codes.top, codes.bottom]);
    }
  }

  /** log p(x | z_t(x), z_b(x)) per example, nats [B]: the decoder's term. */
  decoderLogLikelihood(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => this.vqvae.pass(x).logLikelihood);
  }

  /** log p(x | z_q) + log p_top(z_t) + log p_bottom(z_b | z_t) per example, nats [B]: a lower bound on log p(x). */
  lowerBound(x: tf.Tensor, options: LikelihoodOptions = {}): tf.Tensor1D {
    return tf.tidy(() => {
      const { top, bottom } = this.priorLogProbs(x, options);
      return tf.addN([this.decoderLogLikelihood(x), top, bottom]) as tf.Tensor1D;
    });
  }

  /**
   * Codes of both levels drawn from the priors — the top codes first, then the bottom ones given them (with
   * `condition` for class-conditional priors) — int32 top [n, h_t, w_t] and bottom [n, h_b, w_b].
   */
  sampleCodes(n: number, options: SampleOptions = {}): { top: tf.Tensor3D; bottom: tf.Tensor3D } {
    const seed = seedOrRandom(options.seed);
    const condition = this.conditionOf(options.condition);
    const common = { temperature: options.temperature, condition };
    const top = this.topPrior.sample(n, { ...common, seed: deriveSeed(seed, 'top') });
    const map = this.vqvae.topCodeMap(top);
    try {
      const bottom = this.bottomPrior.sample(n, { ...common, seed: deriveSeed(seed, 'bottom'), map });
      return { top, bottom };
    } catch (error) {
      top.dispose();
      throw error;
    } finally {
      map.dispose();
    }
  }

  /** Codes drawn from the priors (see `sampleCodes`) and decoded: [n, ...eventShape]. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const codes = this.sampleCodes(n, options);
    try {
      return this.vqvae.decodeCodes(codes);
    } finally {
      tf.dispose([codes.top, codes.bottom]);
    }
  }

  /** The frozen VQ-VAE-2's reconstructions of x, from the top codes alone and from both levels. */
  levelReconstructions(x: tf.Tensor): LevelReconstruction[] {
    return this.vqvae.levelReconstructions(x);
  }

  /** The three terms of the bound (nats per example) and the VQ-VAE-2's reconstruction MSE, per batch. */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const { recon_mse } = this.vqvae.evaluationMetrics(batch);
      const { top, bottom } = this.priorLogProbs(batch.x, { condition: batch.condition });
      const nll = (t: tf.Tensor1D) => tf.neg(tf.mean(t)) as tf.Scalar;
      return {
        recon_mse,
        decoder_nll_nats: nll(this.decoderLogLikelihood(batch.x)),
        top_prior_nll_nats: nll(top),
        bottom_prior_nll_nats: nll(bottom),
      };
    });
  }

  /**
   * One player over both priors' variables (the VQ-VAE-2 is in none): the loss is the batch mean of
   * −log p_top(z_t) − log p_bottom(z_b | z_t) on the frozen encoder's codes; each term is logged.
   */
  trainingPlan(): TrainingPlan {
    const trainable = (prior: CodePrior) =>
      prior.model.trainingPlan().players.flatMap((p) => (p.kind === 'gradient' ? p.variables() : []));
    return {
      players: [
        {
          kind: 'gradient',
          name: 'priors',
          variables: () => [...trainable(this.topPrior), ...trainable(this.bottomPrior)],
          objective: {
            name: 'nll',
            compute: (batch) => {
              const { top, bottom } = this.priorLogProbs(batch.x, { condition: batch.condition });
              const topNll = tf.neg(tf.mean(top)) as tf.Scalar;
              const bottomNll = tf.neg(tf.mean(bottom)) as tf.Scalar;
              return { loss: tf.add(topNll, bottomNll) as tf.Scalar, metrics: { topNll, bottomNll } };
            },
          },
        },
      ],
    };
  }

  dispose(): void {
    this.topPrior.dispose();
    this.bottomPrior.dispose();
    this.vqvae.dispose();
  }

  private conditionOf(condition: tf.Tensor2D | undefined): tf.Tensor2D | undefined {
    return this.numClasses !== undefined ? condition : undefined;
  }
}
