/**
 * The two-stage VQ-VAE (van den Oord, Vinyals & Kavukcuoglu, NeurIPS 2017, §3.2 and §4.2): a trained
 * VQ-VAE, frozen, and a PixelCNN prior p(z) fitted to the code grids its encoder assigns to the data.
 *
 * Training fits the prior only: each batch of images is encoded to codes k(x) by the frozen encoder and
 * the prior's own objective (−log p(k(x)), class-conditional or not) is minimized. Sampling draws codes
 * from the prior and decodes them with the VQ-VAE's decoder. The likelihood is the bound with the learned
 * prior in place of the uniform one (the posterior is a point mass, so the KL term is −log p(z_q)):
 *
 *   log p(x) ≥ log p(x | z_q(x)) + log p_prior(z_q(x)).
 *
 * The VQ-VAE's variables are the model's too (so its checkpoint is self-contained and sampling needs no
 * other folder), but no player trains them.
 */
import { type CodePrior, createCodePrior } from '@genzoo/autoregressive';
import {
  type Batch,
  ConfigError,
  type GenerativeModel,
  type LikelihoodOptions,
  type LowerBoundLikelihood,
  type ModelContext,
  type SampleOptions,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { vqVaeConfigSchema } from '../vq-vae/config.js';
import { VqVae } from '../vq-vae/model.js';
import type { VqVaePriorConfig } from './config.js';
import { assignWeights, firstStageOf } from './frozen.js';

const VQVAE_PREFIX = 'vqvae/';
const PRIOR_PREFIX = 'prior/';

export class TwoStageVqVae implements GenerativeModel<VqVaePriorConfig> {
  readonly likelihood: LowerBoundLikelihood;
  readonly eventShape: readonly number[];
  /** The frozen VQ-VAE (encoder, codebook, decoder). */
  readonly vqvae: VqVae;
  /** The prior over its code grids. */
  readonly prior: CodePrior;
  /** Classes of a class-conditional prior (undefined otherwise). */
  readonly numClasses?: number;
  readonly config: VqVaePriorConfig;

  constructor(
    readonly name: string,
    config: VqVaePriorConfig,
    context: ModelContext,
  ) {
    const { frozen, source } = firstStageOf(name, config, context, 'vq-vae');
    this.config = { ...config, frozen };
    this.eventShape = [...context.eventShape];
    this.vqvae = new VqVae('vq-vae', vqVaeConfigSchema.parse(frozen.config), {
      eventShape: context.eventShape,
      seed: source?.seed ?? context.seed,
    });
    try {
      if (source) assignWeights(name, this.vqvae.variables(), source.weights, config.vqvae!);
      const conditional = config.prior.conditional === true;
      if (conditional && context.numClasses === undefined) {
        throw new ConfigError(
          `${name}: a class-conditional prior (prior.conditional) needs a labelled dataset`,
        );
      }
      this.numClasses = conditional ? context.numClasses : undefined;
      this.prior = createCodePrior({
        codeShape: this.vqvae.codeShape,
        categories: this.vqvae.codebookSize,
        network: config.network,
        config: config.prior,
        numClasses: this.numClasses,
        seed: context.seed,
      });
    } catch (error) {
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
    for (const [key, v] of Object.entries(this.vqvae.variables())) all[VQVAE_PREFIX + key] = v;
    for (const [key, v] of Object.entries(this.prior.model.variables())) all[PRIOR_PREFIX + key] = v;
    return all;
  }

  /** The codes of x as the prior's examples, float indices [B, h, w, 1]. */
  codesOf(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.prior.asExamples(this.vqvae.encodeCodes(x)));
  }

  /** log p(x | z_q(x)) per example, nats [B]: the decoder's term. */
  decoderLogLikelihood(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => this.vqvae.pass(x).logLikelihood);
  }

  /** log p_prior(z_q(x)) per example, nats [B]: the prior's term. */
  priorLogProb(x: tf.Tensor, options: LikelihoodOptions = {}): tf.Tensor1D {
    return tf.tidy(() => this.prior.logProb(this.vqvae.encodeCodes(x), this.conditionOf(options)));
  }

  /** log p(x | z_q(x)) + log p_prior(z_q(x)) per example, nats [B]: a lower bound on log p(x). */
  lowerBound(x: tf.Tensor, options: LikelihoodOptions = {}): tf.Tensor1D {
    return tf.tidy(() => tf.add(this.decoderLogLikelihood(x), this.priorLogProb(x, options)) as tf.Tensor1D);
  }

  /** Codes drawn from the prior (with `condition` for a class-conditional one) and decoded: [n, ...eventShape]. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() => this.vqvae.decodeCodes(this.prior.sample(n, options)));
  }

  /** The two terms of the bound (nats per example) and the VQ-VAE's reconstruction MSE, per batch. */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const { recon_mse } = this.vqvae.evaluationMetrics(batch);
      return {
        recon_mse,
        decoder_nll_nats: tf.neg(tf.mean(this.decoderLogLikelihood(batch.x))) as tf.Scalar,
        prior_nll_nats: tf.neg(
          tf.mean(this.priorLogProb(batch.x, { condition: batch.condition })),
        ) as tf.Scalar,
      };
    });
  }

  /** The prior's own plan on the codes of each batch; the VQ-VAE is in no player's variables. */
  trainingPlan(): TrainingPlan {
    const plan = this.prior.model.trainingPlan();
    return {
      ...plan,
      players: plan.players.map((player) => {
        if (player.kind === 'update') {
          return { ...player, update: (batch, context) => player.update(this.codesBatch(batch), context) };
        }
        const { objective } = player;
        return {
          ...player,
          variables: () => player.variables(),
          afterUpdate: player.afterUpdate ? () => player.afterUpdate?.() : undefined,
          objective: {
            name: objective.name,
            compute: (batch, context) => objective.compute(this.codesBatch(batch), context),
          },
        };
      }),
    };
  }

  dispose(): void {
    this.prior.dispose();
    this.vqvae.dispose();
  }

  private codesBatch(batch: Batch): Batch {
    return { ...batch, x: this.codesOf(batch.x) };
  }

  private conditionOf(options: LikelihoodOptions): { condition?: tf.Tensor2D } {
    return this.numClasses !== undefined && options.condition ? { condition: options.condition } : {};
  }
}
