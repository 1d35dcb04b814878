/**
 * BiGAN (Donahue, Krähenbühl & Darrell 2017, "Adversarial Feature Learning"; ALI, Dumoulin et al. 2017):
 * besides the generator G: z → x an encoder E: x → z, and a discriminator of joint pairs,
 *
 *   min_{G,E} max_D  V(D, E, G) = E_x[log D(x, E(x))] + E_z[log(1 − D(G(z), z))].
 *
 * D tells the encoder's pairs (x, E(x)) from the generator's (G(z), z); at the optimum the two joint
 * distributions agree, which makes E = G⁻¹ (Theorem 2): E(x) is a latent code of x and G(E(x))
 * reconstructs it. G and E are one player, trained with the non-saturating form of the swapped labels,
 *
 *   L_{G,E} = −E_x[log(1 − D(x, E(x)))] − E_z[log D(G(z), z)] = E softplus(l(x, E(x))) + E softplus(−l(G(z), z)),
 *
 * D the other: L_D = E softplus(−l(x, E(x))) + E softplus(l(G(z), z)). The encoder is deterministic, so
 * `encode` returns E(x) as the mean of a point mass (stddev 0) and `decode` is G: the latent-space tools
 * (interpolation, traversals, `genzoo explore`) work on a BiGAN too.
 */
import {
  type Batch,
  Dense,
  deriveSeed,
  flattenBatch,
  type GenerativeModel,
  type LatentModel,
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
import { buildFeatures, buildGenerator } from '../common/networks/build.js';
import type { FeatureNetwork, GeneratorNetwork } from '../common/networks/types.js';
import { drawNoise } from '../common/noise.js';
import { DISCRIMINATOR, GENERATOR } from '../common/players.js';
import type { BiganConfig } from './config.js';
import { JointHead } from './joint-head.js';

export const ENCODER = 'encoder';

export class Bigan implements GenerativeModel<BiganConfig>, LatentModel {
  readonly name = 'bigan';
  readonly likelihood = { kind: 'none' } as const;
  readonly eventShape: readonly number[];
  readonly latentDim: number;
  private readonly store: ParameterStore;
  private readonly generator: GeneratorNetwork;
  private readonly encoderBody: FeatureNetwork;
  private readonly encoderHead: Dense;
  private readonly discriminatorBody: FeatureNetwork;
  private readonly discriminatorHead: JointHead;

  constructor(
    readonly config: BiganConfig,
    context: ModelContext,
  ) {
    this.eventShape = [...context.eventShape];
    this.latentDim = config.latentDim;
    this.store = new ParameterStore('bigan', context.seed);
    const { network } = config;
    this.generator = buildGenerator(
      this.store,
      `${GENERATOR}/net`,
      network,
      this.latentDim,
      this.eventShape,
      config.output,
    );
    this.encoderBody = buildFeatures(this.store, `${ENCODER}/body`, network, this.eventShape, {
      batchNorm: false,
    });
    this.encoderHead = new Dense(this.store, `${ENCODER}/head`, this.encoderBody.featureDim, this.latentDim);
    this.discriminatorBody = buildFeatures(this.store, `${DISCRIMINATOR}/body`, network, this.eventShape);
    this.discriminatorHead = new JointHead(
      this.store,
      `${DISCRIMINATOR}/joint`,
      this.discriminatorBody.featureDim,
      this.latentDim,
      config.jointHidden,
    );
  }

  /** The logit of D(x, z), [n]. */
  discriminate(x: tf.Tensor, z: tf.Tensor2D): tf.Tensor1D {
    return this.discriminatorHead.apply(this.discriminatorBody.apply(x), z);
  }

  /** E(x), [n, latentDim], for examples [n, ...eventShape]. */
  encodeLatent(x: tf.Tensor): tf.Tensor2D {
    return this.encoderHead.apply(this.encoderBody.apply(x));
  }

  /** The deterministic code E(x) as the mean of a point mass (stddev 0). */
  encode(x: tf.Tensor): { mean: tf.Tensor2D; stddev: tf.Tensor2D } {
    return tf.tidy(() => {
      const n = flattenBatch(x, this.eventShape, 'bigan.encode: x').shape[0];
      const mean = this.encodeLatent(tf.reshape(x, [n, ...this.eventShape]));
      return { mean, stddev: tf.zerosLike(mean) };
    });
  }

  /** G(z), [n, ...eventShape]. */
  decode(z: tf.Tensor2D): tf.Tensor {
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(`bigan.decode: z must be [n, ${this.latentDim}], got [${z.shape.join(', ')}]`);
    }
    return tf.tidy(() => this.generator.apply(z, false));
  }

  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    return tf.tidy(() => {
      const z = drawNoise(
        this.config.noise,
        n,
        this.latentDim,
        deriveSeed(seed, 'noise'),
        options.temperature ?? 1,
      );
      return this.generator.apply(z, false);
    });
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  trainingPlan(): TrainingPlan {
    return {
      players: [
        {
          kind: 'gradient',
          name: DISCRIMINATOR,
          variables: () => this.store.trainable(`${DISCRIMINATOR}/`),
          objective: this.objective('discriminator', 1),
          optimizer: this.config.optimizers.discriminator,
        },
        {
          kind: 'gradient',
          name: GENERATOR,
          variables: () => this.store.trainable(`${GENERATOR}/`, `${ENCODER}/`),
          objective: this.objective('generator-encoder', -1),
          optimizer: this.config.optimizers.generator,
        },
      ],
      schedule: [
        { player: DISCRIMINATOR, repeat: this.config.discriminatorSteps },
        { player: GENERATOR, repeat: 1 },
      ],
    };
  }

  dispose(): void {
    this.store.dispose();
  }

  /**
   * E softplus(−s·l(x, E(x))) + E softplus(s·l(G(z), z)): s = 1 is the discriminator's loss, s = −1 the
   * generator and encoder's (labels swapped); also D's mean probability on each kind of pair.
   */
  private objective(name: string, sign: 1 | -1): Objective {
    return {
      name,
      compute: (batch: Batch, context: StepContext) => {
        const n = batch.x.shape[0];
        const z = drawNoise(this.config.noise, n, this.latentDim, context.nextSeed());
        const onData = this.discriminate(batch.x, this.encodeLatent(batch.x));
        const onGenerated = this.discriminate(this.generator.apply(z, true), z);
        const loss = tf.add(
          tf.mean(tf.softplus(tf.mul(-sign, onData))),
          tf.mean(tf.softplus(tf.mul(sign, onGenerated))),
        ) as tf.Scalar;
        return {
          loss,
          metrics: { dEncoded: tf.mean(tf.sigmoid(onData)), dGenerated: tf.mean(tf.sigmoid(onGenerated)) },
        };
      },
    };
  }
}
