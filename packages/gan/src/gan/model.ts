/**
 * A generator G and a discriminator D trained against each other (Goodfellow et al. 2014, "Generative
 * Adversarial Nets"):
 *
 *   min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))],   z ~ p(z)
 *
 * or, with the Wasserstein loss, a critic f: min_G max_{‖f‖_L ≤ 1} E f(x) − E f(G(z)). The model is the
 * generator: p_G is the distribution of G(z), which has no density to evaluate (`likelihood: none`), so
 * it is judged by its samples. Training is two players of core's Trainer: `discriminator` (updated
 * `criticSteps` times per step, each on a fresh real batch and fresh noise) and `generator` (once per
 * step); neither knows the other's optimizer. The same class is the GAN, DCGAN (dcgan/model.ts), WGAN
 * (weight clipping after each critic update, wgan/model.ts), WGAN-GP (gradient penalty in the critic's
 * loss, wgan-gp/model.ts) and, with labels y, the class-conditional GAN G(z, y), D(x, y) (see
 * ConditionalAdversarialModel, cgan/model.ts).
 */
import {
  type Batch,
  checkCondition,
  deriveSeed,
  type GenerativeModel,
  type GradientPlayer,
  type ModelContext,
  type Objective,
  type OptimizerConfig,
  ParameterStore,
  type SampleOptions,
  type StepContext,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { NetworkConfig } from '../common/config/network.js';
import {
  type AdversarialLoss,
  discriminatorLoss,
  discriminatorReadings,
  generatorLoss,
} from '../common/losses/adversarial.js';
import { buildFeatures, buildGenerator } from '../common/networks/build.js';
import { DiscriminatorHead, LabelEmbedding } from '../common/networks/conditioning.js';
import { dcganInitializer } from '../common/networks/dcgan.js';
import type { OutputActivation } from '../common/networks/output.js';
import type { FeatureNetwork, GeneratorNetwork } from '../common/networks/types.js';
import { drawNoise, type NoisePrior } from '../common/noise.js';
import { DISCRIMINATOR, GENERATOR } from '../common/players.js';

/** The config keys every adversarial model reads (each model's schema adds its own). */
export interface AdversarialConfig {
  latentDim: number;
  noise: NoisePrior;
  network: NetworkConfig;
  output: OutputActivation;
  optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig };
}

/**
 * How a Wasserstein critic is kept Lipschitz, given by the model that uses it: WGAN clips weights after
 * each critic update (wgan/model.ts), WGAN-GP adds a gradient penalty to the critic's loss
 * (wgan-gp/model.ts).
 */
export interface CriticConstraint {
  /** Runs after each critic update, on the critic's variables. */
  afterUpdate?: (critic: readonly tf.Variable[]) => void;
  /** A term added to the critic's loss, which also names the critic's objective. */
  penalty?: {
    objective: string;
    /** The term at `real` and `fake` (one batch each) with readings for the logs; `seed` draws its noise. */
    terms(
      critic: (x: tf.Tensor) => tf.Tensor1D,
      real: tf.Tensor,
      fake: tf.Tensor,
      seed: number,
    ): { loss: tf.Scalar; metrics: Record<string, tf.Scalar> };
  };
}

/** How a model of the family trains: its loss and the critic's Lipschitz constraint. */
export interface AdversarialSettings {
  loss: AdversarialLoss;
  /** Discriminator updates per generator update (WGAN's n_critic). */
  criticSteps: number;
  /** WGAN's weight clipping or WGAN-GP's gradient penalty. */
  constraint?: CriticConstraint;
  /** Classes of a conditional model (0: unconditional) and the size of the generator's label embedding. */
  classes?: number;
  embeddingDim?: number;
}

export class AdversarialModel<Config extends AdversarialConfig = AdversarialConfig>
  implements GenerativeModel<Config>
{
  readonly likelihood = { kind: 'none' } as const;
  readonly eventShape: readonly number[];
  readonly latentDim: number;
  protected readonly store: ParameterStore;
  protected readonly generator: GeneratorNetwork;
  protected readonly discriminatorBody: FeatureNetwork;
  protected readonly discriminatorHead: DiscriminatorHead;
  protected readonly labelEmbedding?: LabelEmbedding;
  protected readonly classes: number;

  constructor(
    readonly name: string,
    readonly config: Config,
    context: ModelContext,
    protected readonly settings: AdversarialSettings,
  ) {
    this.eventShape = [...context.eventShape];
    this.latentDim = config.latentDim;
    this.classes = settings.classes ?? 0;
    this.store = new ParameterStore(name, context.seed);
    const embedding = this.classes > 0 ? (settings.embeddingDim ?? 0) : 0;
    if (embedding > 0)
      this.labelEmbedding = new LabelEmbedding(this.store, `${GENERATOR}/embedding`, this.classes, embedding);
    this.generator = buildGenerator(
      this.store,
      `${GENERATOR}/net`,
      config.network,
      config.latentDim + embedding,
      this.eventShape,
      config.output,
    );
    this.discriminatorBody = buildFeatures(
      this.store,
      `${DISCRIMINATOR}/body`,
      config.network,
      this.eventShape,
    );
    this.discriminatorHead = new DiscriminatorHead(
      this.store,
      `${DISCRIMINATOR}/head`,
      this.discriminatorBody.featureDim,
      this.classes,
      config.network.kind === 'dcgan' ? dcganInitializer() : undefined,
    );
  }

  /** G(z, y) for noise [n, latentDim] (and one-hot labels of a conditional model). */
  generate(z: tf.Tensor2D, condition: tf.Tensor2D | undefined, training: boolean): tf.Tensor {
    const input =
      this.labelEmbedding && condition ? tf.concat([z, this.labelEmbedding.apply(condition)], 1) : z;
    return this.generator.apply(input as tf.Tensor2D, training);
  }

  /** D's outputs [n] (logits, or critic values for the Wasserstein loss). */
  discriminate(x: tf.Tensor, condition?: tf.Tensor2D): tf.Tensor1D {
    return this.discriminatorHead.apply(this.discriminatorBody.apply(x), condition);
  }

  /** G(z) with z ~ p(z) scaled by the temperature; batch norm uses its running averages. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    return tf.tidy(() => {
      const condition = this.conditionFor(options.condition, n, 'sample');
      const z = drawNoise(
        this.config.noise,
        n,
        this.latentDim,
        deriveSeed(seed, 'noise'),
        options.temperature ?? 1,
      );
      return this.generate(z, condition, false);
    });
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  trainingPlan(): TrainingPlan {
    const afterUpdate = this.settings.constraint?.afterUpdate;
    const critic = this.store.trainable(`${DISCRIMINATOR}/`);
    const discriminator: GradientPlayer = {
      kind: 'gradient',
      name: DISCRIMINATOR,
      variables: () => critic,
      objective: this.discriminatorObjective(),
      optimizer: this.config.optimizers.discriminator,
      ...(afterUpdate !== undefined ? { afterUpdate: () => afterUpdate(critic) } : {}),
    };
    const generator: GradientPlayer = {
      kind: 'gradient',
      name: GENERATOR,
      variables: () => this.store.trainable(`${GENERATOR}/`),
      objective: this.generatorObjective(),
      optimizer: this.config.optimizers.generator,
    };
    return {
      players: [discriminator, generator],
      schedule: [
        { player: DISCRIMINATOR, repeat: this.settings.criticSteps },
        { player: GENERATOR, repeat: 1 },
      ],
    };
  }

  dispose(): void {
    this.store.dispose();
  }

  /** The discriminator's loss on a real batch and as many generated examples (plus a critic penalty). */
  protected discriminatorObjective(): Objective {
    const { loss: kind } = this.settings;
    const penalty = this.settings.constraint?.penalty;
    return {
      name: penalty?.objective ?? (kind === 'wasserstein' ? 'critic' : 'discriminator'),
      compute: (batch: Batch, context: StepContext) => {
        const n = batch.x.shape[0];
        const condition = this.conditionFor(batch.condition, n, 'training');
        const z = drawNoise(this.config.noise, n, this.latentDim, context.nextSeed());
        const fake = this.generate(z, condition, true);
        const real = this.discriminate(batch.x, condition);
        const onFake = this.discriminate(fake, condition);
        let loss = discriminatorLoss(kind, real, onFake);
        const metrics = discriminatorReadings(kind, real, onFake);
        if (penalty !== undefined) {
          const terms = penalty.terms(
            (x) => this.discriminate(x, condition),
            batch.x,
            fake,
            context.nextSeed(),
          );
          loss = tf.add(loss, terms.loss);
          Object.assign(metrics, terms.metrics);
        }
        return { loss, metrics };
      },
    };
  }

  /** The generator's loss on a batch of its samples (the real batch gives only its size and labels). */
  protected generatorObjective(): Objective {
    const { loss: kind } = this.settings;
    return {
      name: `${kind}-generator`,
      compute: (batch: Batch, context: StepContext) => {
        const n = batch.x.shape[0];
        const condition = this.conditionFor(batch.condition, n, 'training');
        const z = drawNoise(this.config.noise, n, this.latentDim, context.nextSeed());
        const onFake = this.discriminate(this.generate(z, condition, true), condition);
        return { loss: generatorLoss(kind, onFake), metrics: {} };
      },
    };
  }

  /** The labels of a conditional model, checked; undefined for an unconditional one. */
  protected conditionFor(
    condition: tf.Tensor2D | undefined,
    n: number,
    what: string,
  ): tf.Tensor2D | undefined {
    if (this.classes === 0) return undefined;
    return checkCondition(condition, n, this.classes, `${this.name} ${what}`);
  }
}
