/**
 * What every model of the package shares: an exact likelihood by the chain rule over an ordering o of
 * the positions (the dimensions of a vector, the pixels of an image in raster order),
 *
 *   log p(x) = Σ_i log p(x_{o(i)} | x_{o(1)}, …, x_{o(i−1)}),
 *
 * computed for all i in one pass of a network whose output at position o(i) depends only on earlier
 * positions (masks, shifted or causal convolutions); and sampling, which runs the network once per
 * position, drawing that position from its conditional and feeding it back.
 *
 * A model may average several orderings (MADE's connectivity ensembles, Germain et al. 2015, §4.2):
 * it trains on variant `step mod V` and reports log p(x) = log (1/V) Σ_v p_v(x), sampling each example
 * from one variant chosen uniformly.
 *
 * Data of event shape [...positionShape, channels] (e.g. [784] as [784] × 1, [28, 28, 1] as [28, 28] × 1)
 * is handled as [batch, ...positionShape, channels]; the output head
 * (common/heads/) says what the values are.
 *
 * Besides one-hot classes (`condition`), image models may take a conditioning map (`map`, [B, H, W, C_h]):
 * features at every pixel that are not masked (they may depend on anything but x), given alike to
 * `logProb`, `sample` and `complete` (Gated PixelCNN with `mapChannels`, van den Oord et al. 2016, §2.3).
 */
import {
  type CompletionModel,
  checkCondition,
  deriveSeed,
  type ExactLikelihood,
  type GenerativeModel,
  type LikelihoodOptions,
  logMeanExp,
  ParameterStore,
  Random,
  type SampleOptions,
  ShapeError,
  seedOrRandom,
  type TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OutputHead } from '../heads/types.js';
import { type Freezable, whileFrozen } from '../layers/frozen-kernels.js';
import { nllTrainingPlan } from '../objectives/nll.js';

/** Likelihood options of the family: a class condition, and a conditioning map for image models. */
export interface AutoregressiveLikelihoodOptions extends LikelihoodOptions {
  /** Features [batch, height, width, mapChannels] at every pixel, for models built with `mapChannels`. */
  map?: tf.Tensor4D;
}

/** Sampling and completion options of the family: `SampleOptions` and a conditioning map. */
export interface AutoregressiveSampleOptions extends SampleOptions {
  /** Features [n, height, width, mapChannels] at every pixel, for models built with `mapChannels`. */
  map?: tf.Tensor4D;
}

export abstract class AutoregressiveModel<Config> implements GenerativeModel<Config>, CompletionModel {
  readonly eventShape: readonly number[];
  readonly likelihood: ExactLikelihood;
  /** Number of positions N (the product of `positionShape`). */
  readonly positions: number;
  protected readonly store: ParameterStore;

  protected constructor(
    readonly name: string,
    readonly config: Config,
    eventShape: readonly number[],
    /** The grid of positions: [D] for vectors, [H, W] for images. */
    readonly positionShape: readonly number[],
    /** Values per position: 1 for vectors, the channels of an image. */
    readonly channels: number,
    readonly head: OutputHead,
    seed: number,
    /** Classes of a class-conditional model; 0 for an unconditional one. */
    protected readonly classes: number,
  ) {
    this.eventShape = [...eventShape];
    this.positions = positionShape.reduce((a, b) => a * b, 1);
    if (head.channels !== channels) {
      throw new ShapeError(
        `${name}: head "${head.kind}" models ${head.channels} values per position, the data has ${channels}`,
      );
    }
    this.store = new ParameterStore(name, seed);
    this.likelihood = { kind: 'exact', logProb: (x, options) => this.logProb(x, options) };
  }

  /** Orderings (or connectivities) the model averages over; 1 for a single fixed order. */
  get variants(): number {
    return 1;
  }

  /**
   * The network: the parameters of every conditional, [B, ...positionShape, P], for values x [B,
   * ...positionShape, channels] under variant `variant`; the output at each position is a function of
   * earlier positions only (what the autoregressive-property tests differentiate).
   */
  abstract networkParams(
    x: tf.Tensor,
    variant: number,
    condition?: tf.Tensor2D,
    map?: tf.Tensor4D,
  ): tf.Tensor;

  /** The flattened (row-major) positions in the order variant `variant` generates them; default raster. */
  protected order(_variant: number): Int32Array {
    return Int32Array.from({ length: this.positions }, (_, i) => i);
  }

  /**
   * The network outputs at one flattened position, [B, P], for the current values x. Sampling calls this
   * once per position; models override it to compute less than the whole network (a receptive-field
   * crop, NADE's running sum).
   */
  positionParams(
    x: tf.Tensor,
    position: number,
    variant: number,
    condition?: tf.Tensor2D,
    map?: tf.Tensor4D,
  ): tf.Tensor2D {
    const params = this.networkParams(x, variant, condition, map);
    const flat = tf.reshape(params, [params.shape[0], this.positions, this.head.paramsPerPosition]);
    return tf.reshape(tf.slice(flat, [0, position, 0], [-1, 1, -1]), [params.shape[0], -1]) as tf.Tensor2D;
  }

  /** Per-example log p_v(x) under variant v, [B] (x of the event shape, or flattened). */
  logProbUnder(x: tf.Tensor, variant: number, options: AutoregressiveLikelihoodOptions = {}): tf.Tensor1D {
    return tf.tidy(() => {
      const values = this.toPositions(x, 'x');
      const condition = this.conditionFor(options.condition, values.shape[0], 'x');
      const map = this.mapFor(options.map, values.shape[0], 'x');
      const params = this.networkParams(values, variant, condition, map);
      const perPosition = this.head.logProb(params, values);
      return tf.sum(tf.reshape(perPosition, [values.shape[0], this.positions]), 1) as tf.Tensor1D;
    });
  }

  /** Per-example log p(x) in nats, [B]: the variants' mixture when there are several. */
  logProb(x: tf.Tensor, options: AutoregressiveLikelihoodOptions = {}): tf.Tensor1D {
    if (this.variants === 1) return this.logProbUnder(x, 0, options);
    return tf.tidy(() => {
      const perVariant = Array.from({ length: this.variants }, (_, v) => this.logProbUnder(x, v, options));
      return logMeanExp(tf.stack(perVariant, 1), 1) as tf.Tensor1D;
    });
  }

  sample(n: number, options: AutoregressiveSampleOptions = {}): tf.Tensor {
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError(`${this.name}.sample: n must be a positive integer, got ${n}`);
    const blank = tf.zeros([n, ...this.eventShape]);
    const nothing = tf.zeros([...this.eventShape]);
    try {
      return this.complete(blank, nothing, options);
    } finally {
      blank.dispose();
      nothing.dispose();
    }
  }

  complete(x: tf.Tensor, observed: tf.Tensor, options: AutoregressiveSampleOptions = {}): tf.Tensor {
    const seed = seedOrRandom(options.seed);
    const temperature = options.temperature ?? 1;
    const values = this.toPositions(x, 'complete: x');
    const batch = values.shape[0];
    const mask = this.observedMask(observed, batch);
    try {
      const condition = this.conditionFor(options.condition, batch, 'complete');
      const map = this.mapFor(options.map, batch, 'complete');
      const chosen = this.variantsOf(batch, seed);
      const parts: tf.Tensor[] = [];
      const rows: number[] = [];
      for (let v = 0; v < this.variants; v++) {
        const members = chosen.flatMap((c, i) => (c === v ? [i] : []));
        if (members.length === 0) continue;
        const take = (t: tf.Tensor) => (members.length === batch ? tf.clone(t) : tf.gather(t, members));
        const groupValues = take(values);
        const groupMask = take(mask);
        const groupCondition = condition ? (take(condition) as tf.Tensor2D) : undefined;
        const groupMap = map ? (take(map) as tf.Tensor4D) : undefined;
        parts.push(
          this.fill(
            groupValues,
            groupMask,
            v,
            { condition: groupCondition, map: groupMap },
            seed,
            temperature,
          ),
        );
        tf.dispose([groupValues, groupMask, groupCondition, groupMap].filter((t) => t !== undefined));
        rows.push(...members);
      }
      try {
        return tf.tidy(() => {
          const joined = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
          const inverse = new Int32Array(batch);
          rows.forEach((row, i) => {
            inverse[row] = i;
          });
          const ordered = parts.length === 1 ? joined : tf.gather(joined, inverse);
          return tf.reshape(ordered, [batch, ...this.eventShape]);
        });
      } finally {
        tf.dispose(parts);
      }
    } finally {
      values.dispose();
      mask.dispose();
    }
  }

  trainingPlan(): TrainingPlan {
    return nllTrainingPlan(this, this.store);
  }

  variables(): Record<string, tf.Variable> {
    return this.store.all();
  }

  dispose(): void {
    this.store.dispose();
  }

  /**
   * The parts whose masked kernels sampling freezes for the run of per-position passes (see
   * common/layers/frozen-kernels.ts); none by default.
   */
  protected sampledParts(): Freezable[] {
    return [];
  }

  /**
   * Fills the unobserved values of x [B, ...positionShape, C] position by position in variant v's order;
   * mask is 1 where observed. The values being filled live on the host: each pass reads them as a new
   * tensor and only the draw at one position comes back, so no pass copies the whole batch on the device
   * to write one position. Positions observed in every example are not sampled at all.
   */
  private fill(
    x: tf.Tensor,
    mask: tf.Tensor,
    variant: number,
    given: { condition?: tf.Tensor2D; map?: tf.Tensor4D },
    modelSeed: number,
    temperature: number,
  ): tf.Tensor {
    const seed = deriveSeed(modelSeed, 'variant', variant);
    const batch = x.shape[0];
    const n = this.positions;
    const c = this.channels;
    const shape = [batch, ...this.positionShape, c];
    const observed = mask.dataSync();
    const values = Float32Array.from(x.dataSync(), (v, i) => (observed[i] === 0 ? 0 : v));
    const observedEverywhere = positionsObservedEverywhere(observed, batch, n, c);
    const order = this.order(variant);
    whileFrozen(this.sampledParts(), () => {
      for (let i = 0; i < n; i++) {
        const position = order[i];
        if (observedEverywhere[position]) continue;
        const draw = tf.tidy(() => {
          const current = tf.tensor(values, shape);
          const params = this.positionParams(current, position, variant, given.condition, given.map);
          return this.head.sample(params, deriveSeed(seed, i), temperature);
        });
        const drawn = draw.dataSync();
        draw.dispose();
        for (let b = 0; b < batch; b++) {
          for (let k = 0; k < c; k++) {
            const at = (b * n + position) * c + k;
            if (observed[at] === 0) values[at] = drawn[b * c + k];
          }
        }
      }
    });
    return tf.tensor(values, shape);
  }

  /** The variant each of `batch` examples is sampled from: uniform over the variants, seeded. */
  private variantsOf(batch: number, seed: number): number[] {
    if (this.variants === 1) return new Array<number>(batch).fill(0);
    const random = new Random(deriveSeed(seed, 'variants'));
    return Array.from({ length: batch }, () => random.int(this.variants));
  }

  /** x [B, ...eventShape] (or any [B, ...] of the same size) as [B, ...positionShape, channels]. */
  protected toPositions(x: tf.Tensor, what: string): tf.Tensor {
    const size = this.positions * this.channels;
    if (x.rank < 2 || x.size / x.shape[0] !== size) {
      throw new ShapeError(
        `${this.name}.${what}: expected [batch, ${this.eventShape.join(', ')}], got [${x.shape.join(', ')}]`,
      );
    }
    return tf.reshape(x, [x.shape[0], ...this.positionShape, this.channels]);
  }

  /** The observed mask as float 0/1 [B, ...positionShape, C], from one of x's shape or of the event shape. */
  private observedMask(observed: tf.Tensor, batch: number): tf.Tensor {
    const size = this.positions * this.channels;
    return tf.tidy(() => {
      const binary = tf.cast(tf.notEqual(observed, 0), 'float32');
      if (observed.size === size)
        return tf.tile(tf.reshape(binary, [1, ...this.positionShape, this.channels]), [
          batch,
          ...this.positionShape.map(() => 1),
          1,
        ]);
      if (observed.size === batch * size)
        return tf.reshape(binary, [batch, ...this.positionShape, this.channels]);
      throw new ShapeError(
        `${this.name}.complete: observed must have the shape of x [${batch}, ${this.eventShape.join(', ')}] or of ` +
          `one example [${this.eventShape.join(', ')}], got [${observed.shape.join(', ')}]`,
      );
    });
  }

  protected conditionFor(
    condition: tf.Tensor | undefined,
    batch: number,
    what: string,
  ): tf.Tensor2D | undefined {
    if (this.classes === 0) return undefined;
    return checkCondition(condition, batch, this.classes, `${this.name}: ${what}`);
  }

  /** The conditioning map, checked; none unless the model was built for one (image models override). */
  protected mapFor(map: tf.Tensor4D | undefined, _batch: number, what: string): tf.Tensor4D | undefined {
    if (map) throw new ShapeError(`${this.name}: ${what}: this model takes no conditioning map`);
    return undefined;
  }
}

/** For each position, whether every example observes every channel there. */
function positionsObservedEverywhere(
  mask: ArrayLike<number>,
  batch: number,
  n: number,
  c: number,
): Uint8Array {
  const all = new Uint8Array(n).fill(1);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < n; p++) {
      for (let k = 0; k < c; k++) if (mask[(b * n + p) * c + k] === 0) all[p] = 0;
    }
  }
  return all;
}
