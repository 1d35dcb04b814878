/**
 * CycleGAN (Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation using Cycle-Consistent
 * Adversarial Networks"): two generators G: A → B and F: B → A and two discriminators, D_B telling real b
 * from G(a) and D_A real a from F(b), trained on unpaired examples of the two domains (§3):
 *
 *   L(G, F, D_A, D_B) = L_GAN(G, D_B) + L_GAN(F, D_A) + λ_cyc·L_cyc(G, F) [+ λ_id·L_id(G, F)]
 *   L_cyc = E_a‖F(G(a)) − a‖₁ + E_b‖G(F(b)) − b‖₁                           (cycle consistency, eq. 2)
 *   L_id  = E_b‖G(b) − b‖₁ + E_a‖F(a) − a‖₁                                 (identity, §5.2; off by default)
 *
 * The adversarial terms are least squares by default (§4: D minimizes ½E(D(x) − 1)² + ½E D(G(·))², the
 * generators ½E(D(G(·)) − 1)²); ‖·‖₁ is the mean absolute difference per pixel, as in the paper's code,
 * with λ_cyc = 10. Adversarial losses alone would let G map A onto any arrangement of B's distribution;
 * the cycle term makes G and F near-inverse bijections, which pins down the translation.
 *
 * The data are pairs [2, ...domainShape] (axis 0: [0] from A, [1] from B) of unrelated examples, so one
 * batch gives a batch of each domain. Training is two players of core's Trainer: `generator` (G and F,
 * the adversarial and cycle terms) then `discriminator` (D_A and D_B on the real batch and the updated
 * generators' translations), one batch each. Left out: the paper's pool of the last 50 translations that
 * D trains on (to damp oscillation), and its linear learning-rate decay over the second half of training.
 *
 * The model is G: `translate(x, 'A→B')` is G(x), `translate(x, 'B→A')` F(x), and `sample(n, { source })`
 * returns the pairs (a, G(a)). It has no noise to draw from, hence no likelihood (`none`) and no sampling
 * without a source.
 */
import {
  assertShape,
  type Batch,
  ConfigError,
  type GenerativeModel,
  type ModelContext,
  type Objective,
  ParameterStore,
  type SampleOptions,
  type TrainingPlan,
  type TranslationDirection,
  type TranslationModel,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { discriminatorLoss, discriminatorReadings, generatorLoss } from '../common/losses/adversarial.js';
import { meanAbsoluteDifference } from '../common/losses/reconstruction.js';
import { DISCRIMINATOR, GENERATOR } from '../common/players.js';
import type { CycleganConfig } from './config.js';
import { PatchDiscriminator } from './patch-discriminator.js';
import { ResnetGenerator } from './resnet-generator.js';

type Domain = 'A' | 'B';

/** The unweighted terms of the generators' loss on a batch of each domain. */
export interface TranslationLosses {
  /** L_GAN(G, D_B) + L_GAN(F, D_A). */
  adversarial: tf.Scalar;
  /** E|F(G(a)) − a| + E|G(F(b)) − b|, per pixel. */
  cycle: tf.Scalar;
  /** E|G(b) − b| + E|F(a) − a|, per pixel; computed only when the identity loss has a weight. */
  identity?: tf.Scalar;
}

/** The domain pairs' image shape [H, W, C], or a ConfigError when the examples are not pairs of images. */
function pairedImage(eventShape: readonly number[]): number[] {
  const [pair, height, width] = eventShape;
  if (eventShape.length !== 4 || pair !== 2 || height % 2 !== 0 || width % 2 !== 0) {
    throw new ConfigError(
      `cyclegan needs pairs of images [2, height, width, channels] (even height and width; axis 0: a domain-A ` +
        `and a domain-B example), such as the mnist-10k-inverted dataset's; got examples of shape [${eventShape.join(', ')}]`,
    );
  }
  return eventShape.slice(1);
}

export class Cyclegan implements GenerativeModel<CycleganConfig>, TranslationModel {
  readonly name = 'cyclegan';
  readonly likelihood = { kind: 'none' } as const;
  readonly eventShape: readonly number[];
  readonly domainShape: readonly number[];
  private readonly store: ParameterStore;
  /** G (A→B) and F (B→A). */
  private readonly generators: Record<TranslationDirection, ResnetGenerator>;
  /** D_A and D_B. */
  private readonly discriminators: Record<Domain, PatchDiscriminator>;

  constructor(
    readonly config: CycleganConfig,
    context: ModelContext,
  ) {
    this.eventShape = [...context.eventShape];
    this.domainShape = pairedImage(this.eventShape);
    this.store = new ParameterStore('cyclegan', context.seed);
    const imageChannels = this.domainShape[2];
    const { channels, residualBlocks, output } = config;
    const generator = (name: string) =>
      new ResnetGenerator(
        this.store,
        `${GENERATOR}/${name}`,
        imageChannels,
        channels,
        residualBlocks,
        output,
      );
    this.generators = { 'A→B': generator('G'), 'B→A': generator('F') };
    const discriminator = (domain: Domain) =>
      new PatchDiscriminator(this.store, `${DISCRIMINATOR}/D_${domain}`, imageChannels, channels);
    this.discriminators = { A: discriminator('A'), B: discriminator('B') };
  }

  /** G(x) for 'A→B', F(x) for 'B→A', of examples [batch, ...domainShape]. */
  translate(x: tf.Tensor, direction: TranslationDirection): tf.Tensor {
    const generator = this.generators[direction];
    if (!generator)
      throw new ConfigError(`cyclegan.translate: direction must be 'A→B' or 'B→A', got '${direction}'`);
    assertShape(`cyclegan.translate(${direction}): x`, x.shape, [-1, ...this.domainShape]);
    return tf.tidy(() => generator.apply(x as tf.Tensor4D));
  }

  /** The pairs (a, G(a)) for the n examples a of `options.source`, [n, 2, ...domainShape]. */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const { source } = options;
    if (!source) {
      throw new ConfigError(
        `cyclegan.sample: a translation model has no noise to sample from and needs \`source\`, ` +
          `domain-A examples [${n}, ${this.domainShape.join(', ')}]`,
      );
    }
    assertShape('cyclegan.sample: source', source.shape, [n, ...this.domainShape]);
    return tf.tidy(() => tf.stack([source, this.generators['A→B'].apply(source as tf.Tensor4D)], 1));
  }

  /**
   * The generators' loss terms for a batch of each domain, a and b [n, ...domainShape]; the objective's
   * building block, so the caller tidies.
   */
  translationLosses(a: tf.Tensor4D, b: tf.Tensor4D): TranslationLosses {
    const { loss: kind, identityWeight } = this.config;
    const G = this.generators['A→B'];
    const F = this.generators['B→A'];
    const fakeB = G.apply(a);
    const fakeA = F.apply(b);
    const terms: TranslationLosses = {
      adversarial: tf.add(
        generatorLoss(kind, this.discriminators.B.apply(fakeB)),
        generatorLoss(kind, this.discriminators.A.apply(fakeA)),
      ),
      cycle: tf.add(meanAbsoluteDifference(F.apply(fakeB), a), meanAbsoluteDifference(G.apply(fakeA), b)),
    };
    if (identityWeight > 0) {
      terms.identity = tf.add<tf.Scalar>(
        meanAbsoluteDifference(G.apply(b), b),
        meanAbsoluteDifference(F.apply(a), a),
      );
    }
    return terms;
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  trainingPlan(): TrainingPlan {
    const { optimizers } = this.config;
    return {
      players: [
        {
          kind: 'gradient',
          name: GENERATOR,
          variables: () => this.store.trainable(`${GENERATOR}/`),
          objective: this.generatorObjective(),
          optimizer: optimizers.generator,
        },
        {
          kind: 'gradient',
          name: DISCRIMINATOR,
          variables: () => this.store.trainable(`${DISCRIMINATOR}/`),
          objective: this.discriminatorObjective(),
          optimizer: optimizers.discriminator,
        },
      ],
      schedule: [
        { player: GENERATOR, repeat: 1 },
        { player: DISCRIMINATOR, repeat: 1 },
      ],
    };
  }

  dispose(): void {
    this.store.dispose();
  }

  /** A batch of pairs as a batch of each domain, [n, ...domainShape] each. */
  private domains(batch: Batch): [tf.Tensor4D, tf.Tensor4D] {
    // Split as [n, 2, H·W·C]: wasm slices 5-D tensors a hundred times slower than 3-D ones.
    const [a, b] = tf
      .unstack(tf.reshape(batch.x, [batch.x.shape[0], 2, -1]), 1)
      .map((x) => tf.reshape(x, [-1, ...this.domainShape]));
    return [a as tf.Tensor4D, b as tf.Tensor4D];
  }

  /** L_GAN(G, D_B) + L_GAN(F, D_A) + λ_cyc·L_cyc [+ λ_id·L_id], with each term as a metric. */
  private generatorObjective(): Objective {
    const { cycleWeight, identityWeight } = this.config;
    return {
      name: `${this.config.loss}-cycle-consistent-generators`,
      compute: (batch: Batch) => {
        const terms = this.translationLosses(...this.domains(batch));
        let loss = tf.add(terms.adversarial, tf.mul(cycleWeight, terms.cycle));
        if (terms.identity) loss = tf.add(loss, tf.mul(identityWeight, terms.identity));
        return { loss: loss as tf.Scalar, metrics: { ...terms } as Record<string, tf.Scalar> };
      },
    };
  }

  /** D_A's loss on real a and F(b) plus D_B's on real b and G(a); each D's readings as metrics. */
  private discriminatorObjective(): Objective {
    const kind = this.config.loss;
    return {
      name: `${kind}-patch-discriminators`,
      compute: (batch: Batch) => {
        const [a, b] = this.domains(batch);
        const fake: Record<Domain, tf.Tensor4D> = {
          A: this.generators['B→A'].apply(b),
          B: this.generators['A→B'].apply(a),
        };
        const real: Record<Domain, tf.Tensor4D> = { A: a, B: b };
        const losses: tf.Scalar[] = [];
        const metrics: Record<string, tf.Scalar> = {};
        for (const domain of ['A', 'B'] as const) {
          const onReal = this.discriminators[domain].apply(real[domain]);
          const onFake = this.discriminators[domain].apply(fake[domain]);
          losses.push(discriminatorLoss(kind, onReal, onFake));
          for (const [reading, value] of Object.entries(discriminatorReadings(kind, onReal, onFake)))
            metrics[`${reading}${domain}`] = value;
        }
        return { loss: tf.addN(losses) as tf.Scalar, metrics };
      },
    };
  }
}
