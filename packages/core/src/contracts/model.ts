/**
 * The contract every genzoo model implements.
 *
 * A generative model is a density model p(x) over examples of a fixed event shape. What it can say about
 * p(x) differs by family, and the contract makes that explicit instead of pretending every model has a
 * likelihood:
 *
 * - `exact`: log p(x) in closed form or exactly computable (GMM, PPCA, flows, autoregressive models).
 * - `lowerBound`: a variational bound ELBO(x) ≤ log p(x) plus an importance-sampled estimate of log p(x)
 *   (the VAE family).
 * - `none`: only samples (GANs); such models are judged by sample-quality metrics.
 *
 * Optional capabilities (encode/decode, class conditioning, translation between domains) are separate
 * interfaces with type guards.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch, TrainingPlan } from './training.js';

export type LikelihoodKind = 'exact' | 'lowerBound' | 'none';

/** Options accepted by every likelihood computation. */
export interface LikelihoodOptions {
  /** One-hot class labels [batch, numClasses] for conditional models. */
  condition?: tf.Tensor2D;
}

/** log p(x) computed exactly, per example. */
export interface ExactLikelihood {
  readonly kind: 'exact';
  /** Per-example log p(x) in nats, shape [batch]. */
  logProb(x: tf.Tensor, options?: LikelihoodOptions): tf.Tensor1D;
}

/** A lower bound on log p(x) and an importance-sampled estimate of it. */
export interface LowerBoundLikelihood {
  readonly kind: 'lowerBound';
  /** Per-example variational lower bound (ELBO) in nats, shape [batch]. */
  lowerBound(x: tf.Tensor, options?: LikelihoodOptions & { seed?: number }): tf.Tensor1D;
  /**
   * Per-example estimate of log p(x) = log E_q[p(x,z)/q(z|x)] with `samples` importance samples, computed
   * with a float32-safe log-sum-exp (see `logMeanExp` in the evaluation module).
   */
  importanceSampledLogProb(
    x: tf.Tensor,
    options: LikelihoodOptions & { samples: number; seed?: number },
  ): tf.Tensor1D;
}

/** The model offers no likelihood at all (GANs). */
export interface NoLikelihood {
  readonly kind: 'none';
}

export type Likelihood = ExactLikelihood | LowerBoundLikelihood | NoLikelihood;

export interface SampleOptions {
  /** Seed for every random draw of this call; the same seed gives the same samples. */
  seed?: number;
  /** One-hot class labels [n, numClasses] for conditional models. */
  condition?: tf.Tensor2D;
  /** Sampling temperature (scales the base/prior noise or sharpens conditionals); 1 is the model itself. */
  temperature?: number;
  /**
   * Examples of domain A for translation models: `sample(n, { source })` returns n pairs (a, G(a)),
   * [n, 2, ...domainShape]; they have no noise to sample from, so they need it. A multi-domain translation
   * model takes examples of any domain, [n, ...domainShape], and returns their translations to the
   * one-hot target domains of `condition` [n, numDomains].
   */
  source?: tf.Tensor;
}

/** What a model is created with besides its own config: facts about the data. */
export interface ModelContext {
  /** Shape of one example, e.g. [2] for 2-D toy data or [28, 28, 1] for MNIST. */
  eventShape: readonly number[];
  /** Number of classes when the dataset has labels (needed by conditional models). */
  numClasses?: number;
  /** Seed for parameter initialization. */
  seed: number;
}

export interface GenerativeModel<Config = unknown> {
  /** Registered model name, e.g. `gmm`. */
  readonly name: string;
  /** The validated, plain-JSON config the model was created with. */
  readonly config: Config;
  /** Shape of one example. */
  readonly eventShape: readonly number[];
  /** What the model can say about p(x); see the module doc. */
  readonly likelihood: Likelihood;
  /**
   * All state that defines the model, by stable name. Checkpoints save and restore exactly this map, so
   * non-trainable state (running statistics, ActNorm's initialized flag) belongs here too.
   */
  variables(): Record<string, tf.Variable>;
  /** Draws n examples, shape [n, ...eventShape]. */
  sample(n: number, options?: SampleOptions): tf.Tensor;
  /** The players, their objectives and the schedule the Trainer runs. */
  trainingPlan(): TrainingPlan;
  /**
   * Data-dependent initialization on the first training batch (k-means++ for a mixture, ActNorm
   * statistics for a flow). Called once by the Trainer before the first step, never on resume.
   */
  initialize?(x: tf.Tensor, seed: number): void;
  /**
   * Metrics of the model's own on one held-out batch, each a mean over the batch's examples (a VQ-VAE's
   * reconstruction MSE and code perplexity). Evaluation (`evaluateModel` in `@genzoo/evaluation`) reports
   * each as its mean over batches, weighted by their sizes, besides the likelihood metrics — also for
   * models whose likelihood is `none`. The caller owns the returned scalars.
   */
  evaluationMetrics?(batch: Batch): Record<string, tf.Scalar>;
  /** Frees every tensor the model owns. */
  dispose(): void;
}

/** Latent-variable models: an encoder to a Gaussian posterior and a decoder back to data space. */
export interface LatentModel {
  readonly latentDim: number;
  /** Posterior q(z|x) (or the PPCA posterior) parameters: mean and standard deviation, [batch, latentDim]. */
  encode(x: tf.Tensor, options?: LikelihoodOptions): { mean: tf.Tensor2D; stddev: tf.Tensor2D };
  /** Mean of p(x|z) in data space, [batch, ...eventShape]. */
  decode(z: tf.Tensor2D, options?: LikelihoodOptions): tf.Tensor;
}

/**
 * Models that fill in the unobserved part of examples (autoregressive models, by sampling the missing
 * values one at a time in their order).
 */
export interface CompletionModel {
  /**
   * Draws the unobserved values of `x` given the observed ones and returns the completed examples,
   * [batch, ...eventShape]. `observed` is 1 where a value is given and 0 where it is to be drawn, of x's
   * shape or of the event shape (the same mask for every example). Observed values are returned exactly.
   * The draw is from p(x_missing | x_observed) when every observed value precedes every missing one in
   * the model's order (e.g. the top half of an image for raster order); otherwise each missing value
   * conditions on the values before it only.
   */
  complete(x: tf.Tensor, observed: tf.Tensor, options?: SampleOptions): tf.Tensor;
}

/** One stage of samples on their way from the base distribution to data space. */
export interface SampleStage {
  /** What produced these values, e.g. `base` or a layer's name. */
  label: string;
  /** The samples at this stage, [n, ...shape of the stage]. */
  values: tf.Tensor;
}

/**
 * Models whose samples pass through a sequence of named stages — a normalizing flow's layers, run from
 * base draws to data. Pictures show the same draws at every stage.
 */
export interface StagedSampling {
  /** The base draws, then the values after each stage in sampling order; the last stage is data space. The caller owns every tensor. */
  sampleStages(n: number, options?: SampleOptions): SampleStage[];
}

/** A reconstruction of a batch from some of a model's latent levels. */
export interface LevelReconstruction {
  /** Which levels it is decoded from, e.g. `top` or `top + bottom`. */
  label: string;
  /** The reconstructions, [batch, ...eventShape]. */
  images: tf.Tensor;
}

/**
 * Models with a hierarchy of latents (VQ-VAE-2's top and bottom code maps): reconstructions of a batch
 * from the coarsest level alone, then with each finer level added. Pictures show the examples above them.
 */
export interface LevelReconstructions {
  /** Coarsest level first, all levels last. The caller owns every tensor. */
  levelReconstructions(x: tf.Tensor): LevelReconstruction[];
}

/** One group of latent variables of a hierarchical model. */
export interface LatentGroupInfo {
  /** The model's index of the group's spatial scale (NVAE: 0 is the finest, the top groups' the coarsest). */
  scale: number;
  /** Shape of the group's latents for one example, e.g. [4, 4, 20] for a map of 20 channels. */
  shape: readonly number[];
}

/**
 * Models whose latents come in groups z₁ … z_L (NVAE's hierarchy, top-down order). Their
 * `evaluationMetrics` report the held-out KL of group l as `kl_group_<l>` (1-based), and pictures draw it
 * per group, labelled by the group's shape, to show which groups carry information and which collapsed.
 */
export interface LatentGroups {
  readonly groups: readonly LatentGroupInfo[];
}

/** Models that condition on class labels. */
export interface ConditionalModel {
  readonly numClasses: number;
}

/** Which way a translation model maps: from domain A to domain B, or back. */
export type TranslationDirection = 'A→B' | 'B→A';

/**
 * Models that map examples of one domain to another (CycleGAN's G: A → B and F: B → A). Their eventShape
 * is [2, ...domainShape], a pair per example: [0] from domain A, [1] from domain B.
 */
export interface TranslationModel {
  /** Shape of one example of either domain. */
  readonly domainShape: readonly number[];
  /** Translates examples [batch, ...domainShape] of the direction's source domain to the other one. */
  translate(x: tf.Tensor, direction: TranslationDirection): tf.Tensor;
}

/**
 * Models that map examples of any of K domains to any other with one network (StarGAN's G(x, c)). Their
 * eventShape is domainShape: one example of some domain, whose label is its domain.
 */
export interface MultiDomainTranslationModel {
  /** K, the number of domains. */
  readonly numDomains: number;
  /** Shape of one example of any domain. */
  readonly domainShape: readonly number[];
  /** Translates examples [batch, ...domainShape] to the one-hot target domains [batch, numDomains]. */
  translateTo(x: tf.Tensor, targetDomains: tf.Tensor2D): tf.Tensor;
}

export function isLatentModel(model: GenerativeModel): model is GenerativeModel & LatentModel {
  const m = model as Partial<LatentModel>;
  return typeof m.encode === 'function' && typeof m.decode === 'function' && typeof m.latentDim === 'number';
}

export function isCompletionModel(model: GenerativeModel): model is GenerativeModel & CompletionModel {
  return typeof (model as Partial<CompletionModel>).complete === 'function';
}

export function hasSampleStages(model: GenerativeModel): model is GenerativeModel & StagedSampling {
  return typeof (model as Partial<StagedSampling>).sampleStages === 'function';
}

export function hasLevelReconstructions(
  model: GenerativeModel,
): model is GenerativeModel & LevelReconstructions {
  return typeof (model as Partial<LevelReconstructions>).levelReconstructions === 'function';
}

export function hasLatentGroups(model: GenerativeModel): model is GenerativeModel & LatentGroups {
  const groups = (model as Partial<LatentGroups>).groups;
  return Array.isArray(groups) && groups.every((g) => typeof g?.scale === 'number' && Array.isArray(g.shape));
}

export function isConditionalModel(model: GenerativeModel): model is GenerativeModel & ConditionalModel {
  return typeof (model as Partial<ConditionalModel>).numClasses === 'number';
}

export function isMultiDomainTranslationModel(
  model: GenerativeModel,
): model is GenerativeModel & MultiDomainTranslationModel {
  const m = model as Partial<MultiDomainTranslationModel>;
  return (
    typeof m.translateTo === 'function' && typeof m.numDomains === 'number' && Array.isArray(m.domainShape)
  );
}

export function isTranslationModel(model: GenerativeModel): model is GenerativeModel & TranslationModel {
  const m = model as Partial<TranslationModel>;
  return typeof m.translate === 'function' && Array.isArray(m.domainShape);
}
