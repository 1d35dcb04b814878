/**
 * NVAE (Vahdat & Kautz 2020, "NVAE: A Deep Hierarchical Variational Autoencoder", NeurIPS): a hierarchy
 * of L groups of latent maps z₁ … z_L at one or more spatial scales, with a bidirectional encoder.
 *
 *   generative model   p(z) = Π_l p(z_l|z<l),  p(z₁) = N(0, I),  p(z_l|z<l) = N(μ_p(z<l), σ_p(z<l)),
 *                      p(x|z) from the top-down tower's final state (Bernoulli logits per pixel)
 *   inference model    q(z|x) = Π_l q(z_l|x, z<l): a bottom-up tower reads x once; the top-down tower,
 *                      the generator's own, combines its state (which carries z<l) with the bottom-up
 *                      feature of group l
 *   residual normal    q(z_l|x, z<l) = N(μ_p + Δμ_l, σ_p · Δσ_l)                           (§3.2, eq. 2)
 *                      KL(q‖p) = ½ (Δμ²/σ_p² + Δσ² − 1) − log Δσ     per latent variable
 *   objective          L(x) = E_q[log p(x|z)] − KL(q(z₁|x) ‖ p(z₁))
 *                             − Σ_{l≥2} E_{q(z<l|x)}[KL(q(z_l|x, z<l) ‖ p(z_l|z<l))]          (eq. 1)
 *
 * Every KL is the analytic Gaussian one for the drawn z<l (core's `Normal.klDivergence`); the outer
 * expectations are the one draw of the training step, or the S draws of an evaluation. Per group the
 * network is (§3.1, Figure 2):
 *
 *   prior           (μ_p, log σ_p) = conv3×3(ELU(s))                  s: the top-down state
 *   posterior       (Δμ, log Δσ) = conv3×3(e_l + conv1×1(s))          e_l: the bottom-up feature of l
 *   next state      s ← conv1×1([s, z_l]), then `cellsPerGroup` generative cells
 *
 * with z₁'s posterior read from the top of the bottom-up tower (conv1×1 between ELUs), and the top-down
 * tower starting from a learned map h. Between scales the encoder has a downsampling encoder cell and the
 * generator an upsampling generative cell. A stem convolution of 2x − 1 and `preprocessCells` encoder
 * cells at full resolution (none by default: then the stem has stride 2) bring the image to the finest
 * latent scale; `postprocessCells` generative cells and ELU–conv3×3 (none by default: then ELU and a
 * stride-2 transposed convolution) bring the state back to pixel outputs. The prior and posterior heads
 * start at zero, so q = p and every KL is 0 at initialization (with random heads the untrained towers
 * start thousands of nats from the prior). The residual cells, squeeze-and-excitation and the depthwise
 * convolution are in cells.ts (the paper's Figure 3).
 *
 * Training (objective.ts): KL warm-up β_t = min(1, t/N), KL balancing across groups during warm-up
 * (Appendix A) and spectral regularization λ Σ σ(W) (§3.2). BatchNorm normalizes with the batch's
 * statistics in training and with running averages otherwise (evaluation, importance sampling, encode,
 * decode); `sample` first re-estimates the generator's running statistics at the sampling temperature
 * (§3.2), as the paper does, and restores the model's own afterwards.
 *
 * Left out, and why: the normalizing flows of the posterior (§3.2, the paper's "NVAE w/ flow"; the
 * residual-normal posterior is the model without them), the discretized logistic mixture for 8-bit
 * colour images (digits are binary; the family's Gaussian likelihoods work per pixel), weight
 * normalization of the convolutions and the authors' 0.1 scaling of residual branches (the figure's
 * plain sums train stably with BatchNorm at these sizes), the adaptive number of groups per scale, and
 * mixed precision. μ and log σ of every group pass through 5·tanh(·/5), as in the authors' code, which
 * keeps the early top-down passes from overflowing.
 */
import {
  type Batch,
  Conv2D,
  Conv2DTranspose,
  deriveSeed,
  flattenBatch,
  initializers,
  type LikelihoodOptions,
  type ModelContext,
  Normal,
  type Objective,
  Pointwise,
  type SampleOptions,
  ShapeError,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { buildObservationModel } from '../common/likelihoods/build.js';
import type { ObservationModel } from '../common/likelihoods/types.js';
import { convImageShape } from '../common/networks/shapes.js';
import type { PassOptions, VariationalPass } from '../common/objectives/pass.js';
import { VariationalModel } from '../common/variational-model.js';
import { EncoderCell, GenerativeCell, SpectralRegularizer } from './cells.js';
import type { NvaeConfig } from './config.js';
import { nvaeObjective } from './objective.js';

/** The shape of one latent group z_l, [height, width, channels], and its scale (0: the finest). */
export interface LatentGroup {
  scale: number;
  shape: [number, number, number];
  /** Latent variables in the group, H·W·C. */
  size: number;
}

/** One group of a pass: its draw, prior p(z_l|z<l) and (with an encoder feature) posterior q(z_l|x, z<l). */
export interface GroupDraw {
  /** z_l, [R, H, W, C] (R = S·B rows, draw-major). */
  z: tf.Tensor4D;
  prior: Normal;
  posterior?: Normal;
}

export interface HierarchyOptions {
  /** Draws per example, S (the rows are draw-major: row s·B + b). */
  samples: number;
  seed: number;
  /** BatchNorm with batch statistics (updating the running ones), or with the running statistics. */
  training: boolean;
  /** z = μ + σ ε with gradients to μ and σ, or a draw without them. */
  reparameterize: boolean;
  /** Given values of some groups (index l − 1), used instead of drawing them. */
  latents?: Array<tf.Tensor4D | undefined>;
  /** Prior draws only: scales the prior's noise, z_l = μ_p + T σ_p ε (unused with x). */
  temperature?: number;
}

export interface HierarchyPass {
  /** Decoder outputs (pixel logits or parameters), [R, D·perDim]. */
  outputs: tf.Tensor2D;
  groups: GroupDraw[];
}

/** Soft clamp of μ and log σ to (−5, 5), as the authors' code does. */
function softClamp(x: tf.Tensor): tf.Tensor {
  return tf.mul(5, tf.tanh(tf.div(x, 5)));
}

/** N(μ, σ) from [..., 2C] outputs [μ, log σ], both soft-clamped. */
function normalFrom(outputs: tf.Tensor4D): { mean: tf.Tensor; logScale: tf.Tensor } {
  const [mean, logScale] = tf.split(outputs, 2, -1);
  return { mean: softClamp(mean), logScale: softClamp(logScale) };
}

export class Nvae extends VariationalModel<NvaeConfig> {
  /** z₁'s size: as a LatentModel the top group is the latent space (the later groups at their prior means). */
  readonly latentDim: number;
  readonly observation: ObservationModel;
  /** z₁ … z_L in top-down order. */
  readonly groups: LatentGroup[];
  readonly spectral: SpectralRegularizer;
  protected readonly decodeRowFloats: number;
  private readonly image: [number, number, number];
  private readonly stem: Conv2D;
  private readonly preprocess: EncoderCell[];
  /** Bottom-up cells of each group, finest scale first, and the downsampling cell after each scale but the last. */
  private readonly encoderGroups: EncoderCell[][];
  private readonly encoderDown: EncoderCell[];
  private readonly encoderTop: Pointwise;
  /** Per top-down group: posterior head, encoder combiner (none for z₁), prior head (none for z₁), decoder combiner. */
  private readonly posteriorHeads: Conv2D[];
  private readonly encoderCombiners: Array<Pointwise | undefined>;
  private readonly priorHeads: Array<Conv2D | undefined>;
  private readonly decoderCombiners: Pointwise[];
  /** Generative cells before group l (none before z₁), an upsampling cell first where a scale begins. */
  private readonly decoderCells: GenerativeCell[][];
  private readonly start: tf.Variable;
  private readonly postprocess: GenerativeCell[];
  private readonly output: Conv2D | Conv2DTranspose;

  constructor(config: NvaeConfig, context: ModelContext) {
    super(
      'nvae',
      config,
      context.eventShape,
      context.seed,
      {
        bound: 'elbo',
        samples: 1,
        beta: 1,
        klWarmupSteps: config.klWarmupSteps,
        freeBits: 0,
        estimator: 'reparameterization',
        baseline: 'none',
      },
      0,
    );
    this.image = convImageShape(this.eventShape);
    const [height, width, imageChannels] = this.image;
    const { scales, groupsPerScale, latentChannels, cellsPerGroup, expansion } = config;
    const factor = 2 ** scales;
    if (height % factor !== 0 || width % factor !== 0) {
      throw new ShapeError(
        `nvae: ${scales} latent scales need image sides divisible by ${factor}, got ${height} × ${width}; lower scales`,
      );
    }
    this.observation = buildObservationModel(config.likelihood, this.dims);
    this.spectral = new SpectralRegularizer(this.store);
    const cell = {
      seReduction: config.seReduction,
      spectral: config.spectralRegularization > 0 ? this.spectral : undefined,
    };
    const conv = (key: string, from: number, to: number, kernelSize: number, zero = false) => {
      const kernelInitializer = zero ? initializers.zeros() : undefined;
      const layer = new Conv2D(this.store, key, from, to, { kernelSize, kernelInitializer });
      cell.spectral?.register(key, layer.kernel);
      return layer;
    };
    const strided = (key: string, from: number, to: number) => {
      const layer = new Conv2D(this.store, key, from, to, { kernelSize: 3, stride: 2 });
      cell.spectral?.register(key, layer.kernel);
      return layer;
    };
    const pointwise = (key: string, from: number, to: number) => {
      const layer = new Pointwise(this.store, key, from, to);
      cell.spectral?.register(key, layer.kernel);
      return layer;
    };
    /** Channels and side of scale s (0: the finest latent scale, at half the input resolution). */
    const channelsAt = (s: number) => config.channels * 2 ** (s + 1);
    const sideAt = (s: number): [number, number] => [height / 2 ** (s + 1), width / 2 ** (s + 1)];

    // Bottom-up tower.
    // Without preprocessing cells the stem itself has stride 2 and brings x to the finest latent scale.
    const { preprocessCells, postprocessCells } = config;
    this.stem =
      preprocessCells === 0
        ? strided('encoder/stem', imageChannels, channelsAt(0))
        : conv('encoder/stem', imageChannels, config.channels, 3);
    this.preprocess = Array.from(
      { length: config.preprocessCells },
      (_, i) =>
        new EncoderCell(
          this.store,
          `encoder/pre${i}`,
          config.channels,
          i === config.preprocessCells - 1,
          cell,
        ),
    );
    this.encoderGroups = [];
    this.encoderDown = [];
    for (let s = 0; s < scales; s++) {
      for (let g = 0; g < groupsPerScale; g++) {
        this.encoderGroups.push(
          Array.from(
            { length: cellsPerGroup },
            (_, c) => new EncoderCell(this.store, `encoder/s${s}g${g}c${c}`, channelsAt(s), false, cell),
          ),
        );
      }
      if (s < scales - 1)
        this.encoderDown.push(new EncoderCell(this.store, `encoder/down${s}`, channelsAt(s), true, cell));
    }
    const top = scales - 1;
    this.encoderTop = pointwise('encoder/top', channelsAt(top), channelsAt(top));

    // Top-down tower, coarsest scale first.
    this.groups = [];
    this.posteriorHeads = [];
    this.encoderCombiners = [];
    this.priorHeads = [];
    this.decoderCombiners = [];
    this.decoderCells = [];
    for (let s = top; s >= 0; s--) {
      const channels = channelsAt(s);
      const [h, w] = sideAt(s);
      for (let g = 0; g < groupsPerScale; g++) {
        const l = this.groups.length; // 0-based: group z_{l+1}
        this.groups.push({ scale: s, shape: [h, w, latentChannels], size: h * w * latentChannels });
        const cells: GenerativeCell[] = [];
        if (l > 0) {
          if (g === 0) {
            cells.push(new GenerativeCell(this.store, `decoder/up${s}`, 2 * channels, expansion, true, cell));
          }
          for (let c = 0; c < cellsPerGroup; c++) {
            cells.push(
              new GenerativeCell(this.store, `decoder/z${l + 1}c${c}`, channels, expansion, false, cell),
            );
          }
        }
        this.decoderCells.push(cells);
        // The heads start at zero: q = p at initialization (KL 0), so each group adds information as it helps.
        this.posteriorHeads.push(conv(`encoder/z${l + 1}/posterior`, channels, 2 * latentChannels, 3, true));
        this.encoderCombiners.push(
          l > 0 ? pointwise(`encoder/z${l + 1}/combine`, channels, channels) : undefined,
        );
        this.priorHeads.push(
          l > 0 ? conv(`decoder/z${l + 1}/prior`, channels, 2 * latentChannels, 3, true) : undefined,
        );
        this.decoderCombiners.push(
          pointwise(`decoder/z${l + 1}/combine`, channels + latentChannels, channels),
        );
      }
    }
    const [topHeight, topWidth] = sideAt(top);
    this.start = this.store.create(
      'decoder/h',
      [1, topHeight, topWidth, channelsAt(top)],
      initializers.normal(0.1),
    );
    this.postprocess = Array.from(
      { length: config.postprocessCells },
      (_, i) =>
        new GenerativeCell(
          this.store,
          `decoder/post${i}`,
          i === 0 ? 2 * config.channels : config.channels,
          expansion,
          i === 0,
          cell,
        ),
    );
    // Without postprocessing cells a stride-2 transposed convolution brings the state to pixel outputs.
    const outputChannels = imageChannels * this.observation.outputs.perDim;
    if (postprocessCells === 0) {
      const layer = new Conv2DTranspose(this.store, 'decoder/output', channelsAt(0), outputChannels, {
        kernelSize: 4,
        stride: 2,
      });
      cell.spectral?.register('decoder/output', layer.kernel);
      this.output = layer;
    } else {
      this.output = conv('decoder/output', config.channels, outputChannels, 3);
    }
    this.latentDim = this.groups[0].size;
    // The widest activation per decoded row: the expanded generative cell at full resolution.
    this.decodeRowFloats = Math.max(
      (height * width * channelsAt(0) * expansion) / 4,
      postprocessCells > 0 ? height * width * config.channels * Math.max(expansion, 2) : 0,
    );
  }

  /**
   * The bottom-up tower on images [B, H, W, C]: the feature e_l of every group in top-down order, e₁
   * being the top of the tower (through ELU–conv1×1–ELU).
   */
  bottomUp(x: tf.Tensor4D, training: boolean): tf.Tensor4D[] {
    let h = this.stem.apply(tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D);
    for (const cell of this.preprocess) h = cell.apply(h, training);
    const features: tf.Tensor4D[] = [];
    const { groupsPerScale } = this.config;
    this.encoderGroups.forEach((cells, i) => {
      for (const cell of cells) h = cell.apply(h, training);
      features.push(h);
      const s = Math.floor(i / groupsPerScale);
      if (i % groupsPerScale === groupsPerScale - 1 && s < this.encoderDown.length) {
        h = this.encoderDown[s].apply(h, training);
      }
    });
    features[features.length - 1] = tf.elu(this.encoderTop.apply(tf.elu(h) as tf.Tensor4D)) as tf.Tensor4D;
    return features.reverse();
  }

  /**
   * The top-down tower on R = S·B rows: for each group its prior from the state, its posterior when the
   * bottom-up features are given ([B, …] each, shared by the S draws), a draw (or the given latent), then
   * the next state; last the decoder outputs. Without features the draws are from the prior at
   * `temperature`.
   */
  topDown(rows: number, features: tf.Tensor4D[] | undefined, options: HierarchyOptions): HierarchyPass {
    const temperature = options.temperature ?? 1;
    const groups: GroupDraw[] = [];
    let state = tf.tile(this.start, [rows, 1, 1, 1]) as tf.Tensor4D;
    this.groups.forEach((group, l) => {
      for (const cell of this.decoderCells[l]) state = cell.apply(state, options.training);
      const priorHead = this.priorHeads[l];
      const prior = priorHead
        ? (() => {
            const { mean, logScale } = normalFrom(priorHead.apply(tf.elu(state) as tf.Tensor4D));
            return Normal.fromLogScale(mean, logScale);
          })()
        : Normal.fromLogScale(tf.zeros([rows, ...group.shape]), tf.zeros([rows, ...group.shape]));
      let posterior: Normal | undefined;
      if (features) {
        const feature =
          options.samples === 1 ? features[l] : tf.tile(features[l], [options.samples, 1, 1, 1]);
        const combined = this.encoderCombiners[l]
          ? tf.add(feature, this.encoderCombiners[l]!.apply(state))
          : feature;
        const residual = normalFrom(this.posteriorHeads[l].apply(combined as tf.Tensor4D));
        // q(z_l|x, z<l) = N(μ_p + Δμ, σ_p · Δσ): a shift and scale of the prior (eq. 2).
        posterior = Normal.fromLogScale(
          tf.add(prior.loc, residual.mean),
          tf.add(prior.logScale(), residual.logScale),
        );
      }
      const seed = deriveSeed(options.seed, 'z', l);
      const given = options.latents?.[l];
      let z: tf.Tensor4D;
      if (given) z = given;
      else if (posterior) {
        z = (options.reparameterize ? posterior.rsample(seed) : posterior.sample(seed)) as tf.Tensor4D;
      } else {
        const noise = tf.randomNormal([rows, ...group.shape], 0, temperature, 'float32', seed);
        z = tf.add(prior.loc, tf.mul(prior.stddev(), noise)) as tf.Tensor4D;
      }
      groups.push({ z, prior, posterior });
      state = this.decoderCombiners[l].apply(tf.concat([state, z], -1) as tf.Tensor4D);
    });
    for (const cell of this.postprocess) state = cell.apply(state, options.training);
    const logits = this.output.apply(tf.elu(state) as tf.Tensor4D);
    return { outputs: this.pixelMajor(logits), groups };
  }

  /** Both towers on a batch [B, ...eventShape] with S draws per example. */
  hierarchy(x: tf.Tensor, options: HierarchyOptions): HierarchyPass {
    const flat = flattenBatch(x, this.eventShape, `${this.name}: x`);
    const images = tf.reshape(flat, [flat.shape[0], ...this.image]) as tf.Tensor4D;
    const features = this.bottomUp(images, options.training);
    return this.topDown(options.samples * flat.shape[0], features, options);
  }

  /**
   * The terms of the bound for S draws per example: log p(x|z), and per group the analytic
   * KL(q(z_l|x, z<l) ‖ p(z_l|z<l)) per latent variable and the log-densities at the draw.
   */
  terms(x: tf.Tensor, options: HierarchyOptions) {
    const flat = flattenBatch(x, this.eventShape, `${this.name}: x`);
    const batch = flat.shape[0];
    const { outputs, groups } = this.hierarchy(flat, options);
    const bySample = (t: tf.Tensor) => tf.reshape(t, [options.samples, batch, -1]) as tf.Tensor3D;
    const logLikelihood = this.observation.logProb(
      tf.reshape(outputs, [options.samples, batch, -1]),
      flat,
    ) as tf.Tensor2D;
    return {
      logLikelihood,
      /** KL per latent variable of each group, [S, B, size_l]. */
      klPerDim: groups.map((g) => bySample(g.posterior!.klDivergence(g.prior))),
      logPrior: groups.map((g) => tf.sum(bySample(g.prior.logProb(g.z)), -1) as tf.Tensor2D),
      logPosterior: groups.map((g) => tf.sum(bySample(g.posterior!.logProb(g.z)), -1) as tf.Tensor2D),
    };
  }

  protected forward(x: tf.Tensor2D, options: PassOptions): VariationalPass {
    const terms = this.terms(x, {
      samples: options.samples,
      seed: options.seed,
      training: false,
      reparameterize: options.reparameterize,
    });
    const logPosterior = tf.addN(terms.logPosterior) as tf.Tensor2D;
    return {
      logLikelihood: terms.logLikelihood,
      logRatio: tf.sub(tf.addN(terms.logPrior), logPosterior) as tf.Tensor2D,
      logPosterior,
      klPerDim: tf.concat(terms.klPerDim, -1) as tf.Tensor3D,
      sampledKl: true,
    };
  }

  override trainingPlan(): TrainingPlan {
    const objective: Objective = nvaeObjective(this);
    return {
      players: [{ kind: 'gradient', name: this.name, variables: () => this.store.trainable(), objective }],
    };
  }

  /** Held-out KL of every group, KL(q(z_l|x, z<l) ‖ p(z_l|z<l)) averaged over the batch: `kl_group_l`. */
  evaluationMetrics(batch: Batch): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const { klPerDim } = this.terms(batch.x, {
        samples: 1,
        seed: 0,
        training: false,
        reparameterize: false,
      });
      return Object.fromEntries(
        klPerDim.map((kl, l) => [`kl_group_${l + 1}`, tf.mean(tf.sum(kl, -1)) as tf.Scalar]),
      );
    });
  }

  /** q(z₁|x): mean and standard deviation of the top group, flattened, [B, latentDim]. */
  encode(x: tf.Tensor, _options?: LikelihoodOptions): { mean: tf.Tensor2D; stddev: tf.Tensor2D } {
    return tf.tidy(() => {
      const flat = flattenBatch(x, this.eventShape, `${this.name}.encode: x`);
      const images = tf.reshape(flat, [flat.shape[0], ...this.image]) as tf.Tensor4D;
      const { mean, logScale } = normalFrom(this.posteriorHeads[0].apply(this.bottomUp(images, false)[0]));
      const rows = flat.shape[0];
      return {
        mean: tf.reshape(mean, [rows, this.latentDim]) as tf.Tensor2D,
        stddev: tf.reshape(tf.exp(logScale), [rows, this.latentDim]) as tf.Tensor2D,
      };
    });
  }

  /** E[x|z] with z₁ given ([n, latentDim]) and every later group at its prior mean, [n, ...eventShape]. */
  decode(z: tf.Tensor2D, _options?: LikelihoodOptions): tf.Tensor {
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(
        `${this.name}.decode: z must be [n, ${this.latentDim}], got [${z.shape.join(', ')}]`,
      );
    }
    return tf.tidy(() => {
      const n = z.shape[0];
      const top = tf.reshape(z, [n, ...this.groups[0].shape]) as tf.Tensor4D;
      const { outputs } = this.topDown(n, undefined, {
        samples: 1,
        seed: 0,
        training: false,
        reparameterize: false,
        latents: [top],
        temperature: 0,
      });
      return tf.reshape(this.observation.mean(outputs), [n, ...this.eventShape]);
    });
  }

  /**
   * n draws at temperature T: z_l = μ_p + T σ_p ε from the prior, then the mean of p(x|z) or a draw. The
   * generator's BatchNorm statistics are first re-estimated at T (`batchNormSampling`, §3.2); the
   * model's own running statistics are restored afterwards, so sampling never changes the model.
   */
  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    const { batches, batchSize } = this.config.batchNormSampling;
    const saved = batches > 0 ? this.generatorStatistics().map((v) => [v, tf.clone(v)] as const) : [];
    try {
      if (batches > 0)
        this.reestimateBatchNorm({ temperature, batches, batchSize, seed: deriveSeed(seed, 'bn') });
      return tf.tidy(() => {
        const { outputs } = this.topDown(n, undefined, {
          samples: 1,
          seed: deriveSeed(seed, 'prior'),
          training: false,
          reparameterize: false,
          temperature,
        });
        const x =
          this.config.sampleOutput === 'draw'
            ? this.observation.sample(outputs, deriveSeed(seed, 'observation'))
            : this.observation.mean(outputs);
        return tf.reshape(x, [n, ...this.eventShape]);
      });
    } finally {
      for (const [variable, value] of saved) {
        variable.assign(value);
        value.dispose();
      }
    }
  }

  /**
   * Re-estimates the generator's BatchNorm running statistics at temperature T (§3.2): `batches`
   * top-down passes in training mode on `batchSize` prior draws each, which update the running averages.
   * Changes the model (`sample` calls it on a copy of the statistics).
   */
  reestimateBatchNorm(options: {
    temperature: number;
    batches: number;
    batchSize: number;
    seed: number;
  }): void {
    for (let i = 0; i < options.batches; i++) {
      tf.tidy(() => {
        this.topDown(options.batchSize, undefined, {
          samples: 1,
          seed: deriveSeed(options.seed, i),
          training: true,
          reparameterize: false,
          temperature: options.temperature,
        });
      });
    }
  }

  /** The generator's BatchNorm running means and variances. */
  generatorStatistics(): tf.Variable[] {
    return Object.entries(this.decoderVariables())
      .filter(([key]) => key.endsWith('/runningMean') || key.endsWith('/runningVariance'))
      .map(([, v]) => v);
  }

  /** Output channels [R, H, W, C·perDim] (parameter-major) as rows [R, perDim·D] for the observation model. */
  private pixelMajor(logits: tf.Tensor4D): tf.Tensor2D {
    const [rows, height, width] = logits.shape;
    const { perDim } = this.observation.outputs;
    const channels = this.image[2];
    const blocks =
      perDim === 1
        ? logits
        : tf.transpose(tf.reshape(logits, [rows, height * width, perDim, channels]), [0, 2, 1, 3]);
    return tf.reshape(blocks, [rows, perDim * height * width * channels]) as tf.Tensor2D;
  }
}
