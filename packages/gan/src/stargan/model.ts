/**
 * StarGAN (Choi, Choi, Kim, Ha, Kim & Choo 2018, "StarGAN: Unified Generative Adversarial Networks for
 * Multi-Domain Image-to-Image Translation"): one generator G(x, c) translates an image x into any of K
 * domains, given the target domain c as a one-hot label, and one discriminator D has two heads on a shared
 * body, D_src (real or fake) and D_cls (which domain), trained on images labelled with their domain c′
 * and never on pairs (§3):
 *
 *   L_adv    = E_x[log D_src(x)] + E_{x,c}[log(1 − D_src(G(x, c)))]                         (1)
 *   L^r_cls  = E_{x,c′}[−log D_cls(c′|x)]            domain classification of real images  (2)
 *   L^f_cls  = E_{x,c}[−log D_cls(c|G(x, c))]        … of translations, for G               (3)
 *   L_rec    = E_{x,c,c′}[‖x − G(G(x, c), c′)‖₁]     reconstruction (cycle consistency)     (4)
 *   L_D      = −L_adv + λ_cls·L^r_cls                                                       (5)
 *   L_G      =  L_adv + λ_cls·L^f_cls + λ_rec·L_rec                                         (6)
 *
 * with λ_cls = 1 and λ_rec = 10. As the paper trains it (§4, eq. 8), L_adv is the Wasserstein loss with
 * the gradient penalty of WGAN-GP (common/losses/adversarial.ts, wgan-gp/model.ts):
 *
 *   L_adv = E_x[D_src(x)] − E_{x,c}[D_src(G(x, c))] − λ_gp·E_x̂[(‖∇_x̂ D_src(x̂)‖₂ − 1)²]     (8)
 *
 * x̂ uniform on the line between a real image and its translation, λ_gp = 10, n_critic = 5 D updates per
 * G update, Adam(1e-4, β₁ 0.5, β₂ 0.999). ‖·‖₁ is the mean absolute difference per pixel, as in the
 * paper's code; D_src gives one value per patch and the means run over patches too. The target domain c
 * of each image is drawn uniformly from the K domains at every update (the paper's code shuffles the
 * batch's labels).
 *
 * Left out: the mask vector c̃ = [c₁, …, c_n, m] (eq. 7, §3.2), which trains on several datasets with
 * different label sets at once (CelebA's attributes and RaFD's expressions) by telling G which label
 * vector to read — with one labelled dataset it is a constant; the linear learning-rate decay over the
 * second half of training; the paper's 128² networks (two downsampling levels, 6 residual blocks, six D
 * layers), here one level, 2 blocks and 3 layers for 28 × 28 digits.
 *
 * The model is G: `translateTo(x, c)` = G(x, c); `sample(n, { source, condition })` translates n source
 * images to the one-hot target domains `condition` (drawn at random with the seed when not given). It has
 * no noise to draw from, hence no likelihood (`none`) and no sampling without a source. Its own
 * evaluation metric is the reconstruction error E|x − G(G(x, c), c′)| on held-out images, with c the
 * domains other than c′ in turn.
 */
import {
  assertShape,
  type Batch,
  Categorical,
  ConfigError,
  DataError,
  type GenerativeModel,
  type ModelContext,
  type MultiDomainTranslationModel,
  type Objective,
  ParameterStore,
  type SampleOptions,
  type StepContext,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { discriminatorLoss, discriminatorReadings, generatorLoss } from '../common/losses/adversarial.js';
import { meanAbsoluteDifference } from '../common/losses/reconstruction.js';
import type { ImageShape } from '../common/networks/dcgan.js';
import { DISCRIMINATOR, GENERATOR } from '../common/players.js';
import { gradientPenalty } from '../wgan-gp/model.js';
import type { StarganConfig } from './config.js';
import { type DiscriminatorOutputs, StarganDiscriminator } from './discriminator.js';
import { ConditionalResnetGenerator } from './generator.js';

/** The unweighted terms of G's loss (eq. 6) for images x of domains c′ translated to domains c. */
export interface GeneratorTerms {
  /** −E D_src(G(x, c)): G's part of L_adv. */
  adversarial: tf.Scalar;
  /** L^f_cls = E[−log D_cls(c|G(x, c))]. */
  classification: tf.Scalar;
  /** L_rec = E|x − G(G(x, c), c′)|, per pixel. */
  reconstruction: tf.Scalar;
}

/** The unweighted terms of D's loss (eq. 5 with eq. 8). */
export interface DiscriminatorTerms {
  /** E D_src(G(x, c)) − E D_src(x): −L_adv without the penalty. */
  adversarial: tf.Scalar;
  /** λ_gp·E(‖∇D_src(x̂)‖ − 1)² (λ_gp included). */
  penalty: tf.Scalar;
  /** L^r_cls = E[−log D_cls(c′|x)]. */
  classification: tf.Scalar;
  /** Readings for the logs: D_src's means, the Wasserstein estimate, E‖∇D_src(x̂)‖, D_cls's accuracy. */
  readings: Record<string, tf.Scalar>;
}

/** The image shape [H, W, C], or a ConfigError when the examples are not images of even size. */
function domainImage(eventShape: readonly number[]): ImageShape {
  const [height, width, channels] = eventShape;
  if (eventShape.length !== 3 || height % 2 !== 0 || width % 2 !== 0) {
    throw new ConfigError(
      `stargan needs images [height, width, channels] of even height and width, each labelled with its ` +
        `domain (such as the mnist-10k-domains dataset's); got examples of shape [${eventShape.join(', ')}]`,
    );
  }
  return [height, width, channels];
}

/** E[−log softmax(logits)_c] over the batch, for one-hot c. */
const crossEntropy = (logits: tf.Tensor2D, domains: tf.Tensor2D) =>
  tf.neg(tf.mean(new Categorical(logits).logProb(domains))) as tf.Scalar;

export class Stargan implements GenerativeModel<StarganConfig>, MultiDomainTranslationModel {
  readonly name = 'stargan';
  readonly likelihood = { kind: 'none' } as const;
  readonly eventShape: readonly number[];
  readonly domainShape: readonly number[];
  readonly numDomains: number;
  private readonly store: ParameterStore;
  private readonly generator: ConditionalResnetGenerator;
  private readonly discriminator: StarganDiscriminator;

  constructor(
    readonly config: StarganConfig,
    context: ModelContext,
  ) {
    const image = domainImage(context.eventShape);
    const domains = context.numClasses;
    if (domains === undefined || !Number.isInteger(domains) || domains < 2) {
      throw new ConfigError(
        `stargan translates between domains and needs images labelled with their domain: the dataset must ` +
          `give numClasses ≥ 2 domains (such as mnist-10k-domains), got ${domains}`,
      );
    }
    this.eventShape = [...image];
    this.domainShape = [...image];
    this.numDomains = domains;
    this.store = new ParameterStore('stargan', context.seed);
    const { channels, residualBlocks, discriminatorLayers, output } = config;
    this.generator = new ConditionalResnetGenerator(
      this.store,
      `${GENERATOR}/G`,
      image[2],
      domains,
      channels,
      residualBlocks,
      output,
    );
    this.discriminator = new StarganDiscriminator(
      this.store,
      `${DISCRIMINATOR}/D`,
      image,
      domains,
      channels,
      discriminatorLayers,
    );
  }

  /** G(x, c) for images [n, ...domainShape] and one-hot target domains c [n, numDomains]. */
  translateTo(x: tf.Tensor, targetDomains: tf.Tensor2D): tf.Tensor {
    assertShape('stargan.translateTo: x', x.shape, [-1, ...this.domainShape]);
    assertShape('stargan.translateTo: targetDomains', targetDomains.shape, [x.shape[0], this.numDomains]);
    return tf.tidy(() => this.generator.apply(x as tf.Tensor4D, tf.cast(targetDomains, 'float32')));
  }

  /** D's two heads on images [n, ...domainShape]: D_src per patch and D_cls's domain logits. */
  discriminate(x: tf.Tensor4D): DiscriminatorOutputs {
    return this.discriminator.apply(x);
  }

  /** G(source, condition) for n source images of any domain; targets drawn with the seed when not given. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const { source } = options;
    if (!source) {
      throw new ConfigError(
        `stargan.sample: a translation model has no noise to sample from and needs \`source\`, images ` +
          `[${n}, ${this.domainShape.join(', ')}] of any domain, with \`condition\`, their one-hot target ` +
          `domains [${n}, ${this.numDomains}] (drawn at random when left out)`,
      );
    }
    assertShape('stargan.sample: source', source.shape, [n, ...this.domainShape]);
    return tf.tidy(() => {
      const targets = options.condition ?? this.randomDomains(n, seedOrRandom(options.seed));
      return this.translateTo(source, targets);
    });
  }

  /**
   * The terms of G's loss for images x [n, ...domainShape] of domains `original` (c′) translated to
   * `target` (c), both one-hot [n, K]; the objective's building block, so the caller tidies.
   */
  generatorTerms(x: tf.Tensor4D, original: tf.Tensor2D, target: tf.Tensor2D): GeneratorTerms {
    const fake = this.generator.apply(x, target);
    const judged = this.discriminator.apply(fake);
    return {
      adversarial: generatorLoss('wasserstein', judged.source),
      classification: crossEntropy(judged.domainLogits, target),
      reconstruction: meanAbsoluteDifference(x, this.generator.apply(fake, original)),
    };
  }

  /** The terms of D's loss for the same inputs, the penalty's interpolates drawn with `seed`; the caller tidies. */
  discriminatorTerms(
    x: tf.Tensor4D,
    original: tf.Tensor2D,
    target: tf.Tensor2D,
    seed: number,
  ): DiscriminatorTerms {
    const { penaltyWeight } = this.config;
    const fake = this.generator.apply(x, target);
    const real = this.discriminator.apply(x);
    const onFake = this.discriminator.source(fake);
    const { penalty, gradientNorm } = gradientPenalty(
      (images) => this.discriminator.source(images as tf.Tensor4D),
      x,
      fake,
      penaltyWeight,
      seed,
    );
    const recognized = tf.equal(tf.argMax(real.domainLogits, 1), tf.argMax(original, 1));
    return {
      adversarial: discriminatorLoss('wasserstein', real.source, onFake),
      penalty,
      classification: crossEntropy(real.domainLogits, original),
      readings: {
        ...discriminatorReadings('wasserstein', real.source, onFake),
        interpolateGradientNorm: gradientNorm,
        realDomainAccuracy: tf.mean(tf.cast(recognized, 'float32')) as tf.Scalar,
      },
    };
  }

  /**
   * The reconstruction error E|x − G(G(x, c), c′)| of held-out images labelled with their domains c′,
   * with c the other domains in turn (c = c′ + 1 + (i mod (K − 1)) mod K for the i-th image), so it is
   * deterministic. The caller owns the scalar.
   */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const original = this.originalDomains(batch, 'evaluation');
      const n = original.shape[0];
      const K = this.numDomains;
      const shift = tf.add(
        tf.mod(tf.range(0, n, 1, 'int32'), tf.scalar(K - 1, 'int32')),
        tf.scalar(1, 'int32'),
      );
      const targets = tf.mod(tf.add(tf.cast(tf.argMax(original, 1), 'int32'), shift), tf.scalar(K, 'int32'));
      const target = tf.cast(
        tf.oneHot(tf.cast(targets, 'int32') as tf.Tensor1D, K),
        'float32',
      ) as tf.Tensor2D;
      const x = batch.x as tf.Tensor4D;
      const cycle = this.generator.apply(this.generator.apply(x, target), original);
      return { recon_error: meanAbsoluteDifference(x, cycle) };
    });
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  trainingPlan(): TrainingPlan {
    const { optimizers, discriminatorSteps } = this.config;
    return {
      players: [
        {
          kind: 'gradient',
          name: DISCRIMINATOR,
          variables: () => this.store.trainable(`${DISCRIMINATOR}/`),
          objective: this.discriminatorObjective(),
          optimizer: optimizers.discriminator,
        },
        {
          kind: 'gradient',
          name: GENERATOR,
          variables: () => this.store.trainable(`${GENERATOR}/`),
          objective: this.generatorObjective(),
          optimizer: optimizers.generator,
        },
      ],
      schedule: [
        { player: DISCRIMINATOR, repeat: discriminatorSteps },
        { player: GENERATOR, repeat: 1 },
      ],
    };
  }

  dispose(): void {
    this.store.dispose();
  }

  /** One-hot domains [n, K] drawn uniformly. */
  private randomDomains(n: number, seed: number): tf.Tensor2D {
    const K = this.numDomains;
    const index = tf.minimum(tf.floor(tf.randomUniform([n], 0, K, 'float32', seed)), K - 1);
    return tf.cast(tf.oneHot(tf.cast(index, 'int32') as tf.Tensor1D, K), 'float32') as tf.Tensor2D;
  }

  /** The batch's domain labels c′, one-hot [n, K], or an error naming what the data lacks. */
  private originalDomains(batch: Batch, what: string): tf.Tensor2D {
    const n = batch.x.shape[0];
    if (!batch.condition) {
      throw new DataError(
        `stargan ${what}: the images need their domains as labels (a dataset with numClasses = ${this.numDomains} domains, such as mnist-10k-domains)`,
      );
    }
    assertShape(`stargan ${what}: domain labels`, batch.condition.shape, [n, this.numDomains]);
    return batch.condition;
  }

  /** L_G = L_adv + λ_cls·L^f_cls + λ_rec·L_rec (eq. 6), each term a metric. */
  private generatorObjective(): Objective {
    const { classificationWeight, reconstructionWeight } = this.config;
    return {
      name: 'stargan-generator',
      compute: (batch: Batch, context: StepContext) => {
        const original = this.originalDomains(batch, 'training');
        const target = this.randomDomains(original.shape[0], context.nextSeed());
        const terms = this.generatorTerms(batch.x as tf.Tensor4D, original, target);
        const loss = tf.addN([
          terms.adversarial,
          tf.mul(classificationWeight, terms.classification),
          tf.mul(reconstructionWeight, terms.reconstruction),
        ]) as tf.Scalar;
        return { loss, metrics: { ...terms } };
      },
    };
  }

  /** L_D = −L_adv + λ_cls·L^r_cls (eq. 5), L_adv with the gradient penalty (eq. 8); readings as metrics. */
  private discriminatorObjective(): Objective {
    const { classificationWeight } = this.config;
    return {
      name: 'stargan-critic-gradient-penalty',
      compute: (batch: Batch, context: StepContext) => {
        const original = this.originalDomains(batch, 'training');
        const target = this.randomDomains(original.shape[0], context.nextSeed());
        const terms = this.discriminatorTerms(batch.x as tf.Tensor4D, original, target, context.nextSeed());
        const loss = tf.addN([
          terms.adversarial,
          terms.penalty,
          tf.mul(classificationWeight, terms.classification),
        ]) as tf.Scalar;
        return {
          loss,
          metrics: {
            adversarial: terms.adversarial,
            gradientPenalty: terms.penalty,
            classification: terms.classification,
            ...terms.readings,
          },
        };
      },
    };
  }
}
