/**
 * Small models and an in-memory dataset for the Trainer and checkpoint tests: a tiny stochastic
 * autoencoder (one gradient player), a GAN-like pair (critic ×3, generator ×1), a Gaussian with a
 * closed-form mean (update player) and a gradient-learned scale, a deterministic autoencoder with batch
 * norm (running statistics), and a plugin registering them.
 */
import '@tensorflow/tfjs-backend-cpu';
import '../src/gradients/register.js';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { CheckpointContents } from '../src/checkpoint/save.js';
import type { BatchOptions, Dataset, DataValues } from '../src/contracts/data.js';
import type { GenerativeModel, ModelContext, SampleOptions } from '../src/contracts/model.js';
import type { Batch, GradientPlayer, TrainingPlan, UpdatePlayer } from '../src/contracts/training.js';
import { BatchNorm } from '../src/nn/batch-norm.js';
import { Dense, MLP } from '../src/nn/layers.js';
import { initializers, ParameterStore } from '../src/nn/params.js';
import { Random } from '../src/random/seeds.js';
import { defineModel, type GenzooPlugin } from '../src/registry/plugin.js';
import { PluginRegistry } from '../src/registry/registry.js';
import { trainConfigSchema } from '../src/training/config.js';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Examples held in memory; `getBatch` adds seeded Gaussian noise of scale `noise` (a per-batch transform). */
export class ArrayDataset implements Dataset {
  readonly dtype = 'float32';
  readonly values: DataValues = { kind: 'continuous', range: [-10, 10] };
  getBatchCalls = 0;

  constructor(
    readonly name: string,
    private readonly data: Float32Array,
    readonly eventShape: number[],
    private readonly noise = 0,
  ) {}

  get size(): number {
    return this.data.length / this.eventShape.reduce((a, b) => a * b, 1);
  }

  getBatch(indices: ArrayLike<number>, options: { seed?: number } = {}): Batch {
    this.getBatchCalls++;
    const d = this.data.length / this.size;
    const rows = new Float32Array(indices.length * d);
    for (let i = 0; i < indices.length; i++)
      rows.set(this.data.subarray(indices[i] * d, (indices[i] + 1) * d), i * d);
    const shape = [indices.length, ...this.eventShape];
    if (this.noise === 0) return { x: tf.tensor(rows, shape) };
    return {
      x: tf.tidy(() =>
        tf.add(tf.tensor(rows, shape), tf.randomNormal(shape, 0, this.noise, 'float32', options.seed)),
      ),
    };
  }

  *batches(options: BatchOptions): Generator<Batch> {
    const order = options.shuffle
      ? new Random((options.seed ?? 0) + (options.epoch ?? 0)).permutation(this.size)
      : Int32Array.from({ length: this.size }, (_, i) => i);
    const step = options.batchSize;
    for (let start = (options.startBatch ?? 0) * step; start < this.size; start += step) {
      if (options.dropLast && start + step > this.size) return;
      yield this.getBatch(order.subarray(start, start + step), { seed: options.seed });
    }
  }
}

/** n points from N(mean, scale²) in 2-D. */
export function gaussianData(n: number, mean: [number, number], scale: number, seed: number): Float32Array {
  const random = new Random(seed);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = mean[0] + scale * random.normal();
    out[2 * i + 1] = mean[1] + scale * random.normal();
  }
  return out;
}

const noLikelihood = { kind: 'none' as const };

// ---------------------------------------------------------------------------------------------------
// A tiny stochastic autoencoder: z = enc(x) + σ·ε (ε seeded by ctx.nextSeed()), loss = mean ‖x − dec(z)‖².

export const toyAeConfigSchema = z.strictObject({
  hidden: z.number().int().positive().default(8),
  latent: z.number().int().positive().default(2),
  noise: z.number().nonnegative().default(0.1),
  /** From this (0-based) step on, the loss is NaN (or, with `nanMetric`, only the `bad` metric). */
  nanFromStep: z.number().int().nonnegative().optional(),
  nanMetric: z.boolean().default(false),
});
export type ToyAeConfig = z.infer<typeof toyAeConfigSchema>;

export class ToyAutoencoder implements GenerativeModel<ToyAeConfig> {
  readonly name = 'toy-ae';
  readonly likelihood = noLikelihood;
  readonly eventShape: readonly number[];
  initializeCalls = 0;
  private readonly params: ParameterStore;
  private readonly encoder: MLP;
  private readonly decoder: MLP;

  constructor(
    readonly config: ToyAeConfig,
    context: ModelContext,
  ) {
    this.eventShape = context.eventShape;
    const d = context.eventShape[0];
    this.params = new ParameterStore('toy-ae', context.seed);
    this.encoder = new MLP(this.params, 'encoder', [d, config.hidden, config.latent], 'tanh');
    this.decoder = new MLP(this.params, 'decoder', [config.latent, config.hidden, d], 'tanh');
    this.params.create('decoder/offset', [d], initializers.zeros());
  }

  variables(): Record<string, tf.Variable> {
    return this.params.all();
  }

  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.add(this.decoder.apply(z), this.params.get('decoder/offset'));
  }

  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() =>
      this.decode(tf.randomNormal([n, this.config.latent], 0, 1, 'float32', options.seed)),
    );
  }

  /** Data-dependent init: the decoder offset starts at the first batch's mean. */
  initialize(x: tf.Tensor): void {
    this.initializeCalls++;
    this.params.get('decoder/offset').assign(tf.mean(x, 0));
  }

  trainingPlan(): TrainingPlan {
    const player: GradientPlayer = {
      kind: 'gradient',
      name: 'ae',
      variables: () => this.params.trainable(),
      objective: {
        name: 'reconstruction',
        compute: (batch, context) => {
          const x = batch.x as tf.Tensor2D;
          const mean = this.encoder.apply(x);
          const z = tf.add(
            mean,
            tf.mul(this.config.noise, tf.randomNormal(mean.shape, 0, 1, 'float32', context.nextSeed())),
          );
          const mse = tf.mean(tf.sum(tf.square(tf.sub(x, this.decode(z as tf.Tensor2D))), 1));
          const broken = this.config.nanFromStep !== undefined && context.step >= this.config.nanFromStep;
          const metrics: Record<string, tf.Scalar> = { mse: mse as tf.Scalar };
          if (this.config.nanMetric)
            metrics.bad = (broken ? tf.scalar(Number.NaN) : tf.scalar(0)) as tf.Scalar;
          const loss = broken && !this.config.nanMetric ? tf.add(mse, tf.log(tf.scalar(-1))) : mse;
          return { loss: loss as tf.Scalar, metrics };
        },
      },
    };
    return { players: [player] };
  }

  dispose(): void {
    this.params.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// A GAN-like pair: generator x = ε + shift, linear critic D(x) = w·x + b with the logistic GAN losses.
// The critic runs 3 times per step on the run's optimizer; the generator once with its own SGD.

export const toyGanConfigSchema = z.strictObject({ generatorLr: z.number().positive().default(0.05) });
export type ToyGanConfig = z.infer<typeof toyGanConfigSchema>;

export class ToyGan implements GenerativeModel<ToyGanConfig> {
  readonly name = 'toy-gan';
  readonly likelihood = noLikelihood;
  readonly eventShape: readonly number[] = [2];
  readonly computeCalls = { critic: 0, generator: 0 };
  private readonly params: ParameterStore;

  constructor(
    readonly config: ToyGanConfig,
    context: ModelContext,
  ) {
    this.params = new ParameterStore('toy-gan', context.seed);
    this.params.create('critic/w', [2, 1], initializers.normal(0.1));
    this.params.create('critic/b', [1], initializers.zeros());
    this.params.create('generator/shift', [2], initializers.zeros());
  }

  variables(): Record<string, tf.Variable> {
    return this.params.all();
  }

  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() =>
      tf.add(tf.randomNormal([n, 2], 0, 1, 'float32', options.seed), this.params.get('generator/shift')),
    );
  }

  private critic(x: tf.Tensor): tf.Tensor {
    return tf.add(
      tf.matMul(x as tf.Tensor2D, this.params.get('critic/w') as tf.Tensor2D),
      this.params.get('critic/b'),
    );
  }

  trainingPlan(): TrainingPlan {
    const critic: GradientPlayer = {
      kind: 'gradient',
      name: 'critic',
      variables: () => this.params.trainable('critic/'),
      objective: {
        name: 'logistic-critic',
        compute: (batch, context) => {
          this.computeCalls.critic++;
          const fake = this.sample(batch.x.shape[0], { seed: context.nextSeed() });
          const loss = tf.add(
            tf.mean(tf.softplus(tf.neg(this.critic(batch.x)))),
            tf.mean(tf.softplus(this.critic(fake))),
          ) as tf.Scalar;
          return { loss, metrics: { realScore: tf.mean(this.critic(batch.x)) as tf.Scalar } };
        },
      },
    };
    const generator: GradientPlayer = {
      kind: 'gradient',
      name: 'generator',
      variables: () => this.params.trainable('generator/'),
      optimizer: { name: 'sgd', learningRate: this.config.generatorLr, momentum: 0 },
      objective: {
        name: 'non-saturating',
        compute: (batch, context) => {
          this.computeCalls.generator++;
          const fake = tf.add(
            tf.randomNormal([batch.x.shape[0], 2], 0, 1, 'float32', context.nextSeed()),
            this.params.get('generator/shift'),
          );
          return { loss: tf.mean(tf.softplus(tf.neg(this.critic(fake)))) as tf.Scalar, metrics: {} };
        },
      },
    };
    return {
      players: [critic, generator],
      schedule: [
        { player: 'critic', repeat: 3 },
        { player: 'generator', repeat: 1 },
      ],
    };
  }

  dispose(): void {
    this.params.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// A diagonal Gaussian whose mean is the exact running mean of the batches it saw (an update player) and
// whose log-scale is fitted by gradient descent on the Gaussian negative log-likelihood.

export class ToyMoments implements GenerativeModel<Record<string, never>> {
  readonly name = 'toy-moments';
  readonly config = {};
  readonly likelihood = noLikelihood;
  readonly eventShape: readonly number[] = [2];
  private readonly params: ParameterStore;

  constructor(context: ModelContext) {
    this.params = new ParameterStore('toy-moments', context.seed);
    this.params.create('mean', [2], initializers.zeros(), false);
    this.params.create('count', [], initializers.zeros(), false);
    this.params.create('logScale', [2], initializers.zeros());
  }

  variables(): Record<string, tf.Variable> {
    return this.params.all();
  }

  sample(n: number, options: SampleOptions = {}): tf.Tensor {
    return tf.tidy(() =>
      tf.add(
        tf.mul(tf.randomNormal([n, 2], 0, 1, 'float32', options.seed), tf.exp(this.params.get('logScale'))),
        this.params.get('mean'),
      ),
    );
  }

  trainingPlan(): TrainingPlan {
    const mean = this.params.get('mean');
    const count = this.params.get('count');
    const logScale = this.params.get('logScale');
    const moments: UpdatePlayer = {
      kind: 'update',
      name: 'moments',
      update: (batch) => {
        // μₙ = μₙ₋₁ + (Σ batch − B·μₙ₋₁)/n: the exact mean of every example seen.
        const b = batch.x.shape[0];
        const n = count.dataSync()[0] + b;
        mean.assign(tf.add(mean, tf.div(tf.sub(tf.sum(batch.x, 0), tf.mul(b, mean)), n)));
        count.assign(tf.scalar(n));
        return { seen: n };
      },
    };
    const scale: GradientPlayer = {
      kind: 'gradient',
      name: 'scale',
      variables: () => [logScale],
      objective: {
        name: 'gaussian-nll',
        compute: (batch) => {
          const z = tf.div(tf.sub(batch.x, mean), tf.exp(logScale));
          const nll = tf.mean(tf.sum(tf.add(tf.mul(0.5, tf.square(z)), logScale), 1)) as tf.Scalar;
          return { loss: nll, metrics: {} };
        },
      },
    };
    return { players: [moments, scale] };
  }

  dispose(): void {
    this.params.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// A deterministic autoencoder with batch norm: x → Dense → BatchNorm → tanh → Dense, loss mean ‖x − x̂‖².

export class ToyBatchNormAe implements GenerativeModel<Record<string, never>> {
  readonly name = 'toy-bn';
  readonly likelihood = noLikelihood;
  readonly eventShape: readonly number[] = [2];
  readonly config = {};
  private readonly params: ParameterStore;
  private readonly encoder: Dense;
  private readonly norm: BatchNorm;
  private readonly decoder: Dense;

  constructor(context: ModelContext) {
    this.params = new ParameterStore('toy-bn', context.seed);
    this.encoder = new Dense(this.params, 'encoder', 2, 4);
    this.norm = new BatchNorm(this.params, 'norm', 4);
    this.decoder = new Dense(this.params, 'decoder', 4, 2);
  }

  variables(): Record<string, tf.Variable> {
    return this.params.all();
  }

  sample(n: number): tf.Tensor {
    return tf.zeros([n, 2]);
  }

  trainingPlan(): TrainingPlan {
    const player: GradientPlayer = {
      kind: 'gradient',
      name: 'ae',
      variables: () => this.params.trainable(),
      objective: {
        name: 'reconstruction',
        compute: (batch) => {
          const x = batch.x as tf.Tensor2D;
          const h = tf.tanh(this.norm.apply(this.encoder.apply(x), true));
          const mse = tf.mean(tf.sum(tf.square(tf.sub(x, this.decoder.apply(h))), 1)) as tf.Scalar;
          return { loss: mse, metrics: {} };
        },
      },
    };
    return { players: [player] };
  }

  dispose(): void {
    this.params.dispose();
  }
}

export function toyPlugin(version = '1.0.0'): GenzooPlugin {
  return {
    name: '@genzoo/toy',
    version,
    models: [
      defineModel({
        name: 'toy-ae',
        family: 'test',
        description: 'tiny stochastic autoencoder',
        likelihood: 'none',
        configSchema: toyAeConfigSchema,
        create: (config, context) => new ToyAutoencoder(config, context),
        reproduce: [],
      }),
      defineModel({
        name: 'toy-gan',
        family: 'test',
        description: 'GAN-like pair',
        likelihood: 'none',
        configSchema: toyGanConfigSchema,
        create: (config, context) => new ToyGan(config, context),
        reproduce: [],
      }),
      defineModel({
        name: 'toy-bn',
        family: 'test',
        description: 'deterministic autoencoder with batch norm',
        likelihood: 'none',
        configSchema: z.strictObject({}),
        create: (_config, context) => new ToyBatchNormAe(context),
        reproduce: [],
      }),
      defineModel({
        name: 'toy-moments',
        family: 'test',
        description: 'closed-form mean, gradient scale',
        likelihood: 'none',
        configSchema: z.strictObject({}),
        create: (_config, context) => new ToyMoments(context),
        reproduce: [],
      }),
    ],
  };
}

export function toyRegistry(version = '1.0.0'): PluginRegistry {
  const registry = new PluginRegistry();
  registry.register(toyPlugin(version));
  return registry;
}

export const toyRef = (name: string, version = '1.0.0') => ({
  name,
  plugin: { name: '@genzoo/toy', version },
});

/** Values of every model variable, by key. */
export function snapshotVariables(model: GenerativeModel): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.variables()).map(([k, v]) => [k, Array.from(v.dataSync())]));
}

// ---------------------------------------------------------------------------------------------------
// A checkpoint's contents without a model behind them: float32 "a" [2, 2] with the given values, int32
// "n" (a scalar), and one SGD player's momentum, for the checkpoint format and loading tests.

export function checkpointContents(
  step: number,
  a: readonly number[] = [0.5, 1.5, -2, 1e-30],
): CheckpointContents {
  return {
    model: {
      name: 'toy-ae',
      plugin: '@genzoo/toy',
      pluginVersion: '1.0.0',
      config: {},
      eventShape: [2],
      seed: 0,
    },
    train: trainConfigSchema.parse({ steps: 1 }),
    state: {
      step,
      epoch: 0,
      batchInEpoch: 0,
      batchIndex: 0,
      trainExamples: 1,
      seconds: 0,
      rng: { seed: 0, scheme: 'genzoo-derive-v1' },
    },
    weights: {
      a: { shape: [2, 2], dtype: 'float32', values: Float32Array.from(a) },
      n: { shape: [], dtype: 'int32', values: Int32Array.of(-7) },
    },
    optimizer: [
      {
        player: 'p',
        config: { name: 'sgd', learningRate: 0.1, momentum: 0.9 },
        iterations: 3,
        tensors: { 'momentum:a': { shape: [2, 2], dtype: 'float32', values: Float32Array.of(1, 2, 3, 4) } },
      },
    ],
  };
}
