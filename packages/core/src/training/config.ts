/**
 * Training configuration: optimizers, learning-rate schedules and the run budget, as zod schemas so
 * that a config file, `--set key=value` overrides and a checkpoint manifest are all validated alike.
 */
import { z } from 'zod';

export const optimizerConfigSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('adam'),
    learningRate: z.number().positive().default(1e-3),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
  }),
  z.strictObject({
    name: z.literal('adamax'),
    learningRate: z.number().positive().default(2e-3),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
  }),
  z.strictObject({
    name: z.literal('rmsprop'),
    learningRate: z.number().positive().default(5e-5),
    decay: z.number().min(0).max(1).default(0.9),
    momentum: z.number().min(0).max(1).default(0),
    epsilon: z.number().positive().default(1e-8),
  }),
  z.strictObject({
    name: z.literal('sgd'),
    learningRate: z.number().positive().default(1e-2),
    momentum: z.number().min(0).max(1).default(0),
  }),
]);
export type OptimizerConfig = z.infer<typeof optimizerConfigSchema>;
export type OptimizerConfigInput = z.input<typeof optimizerConfigSchema>;

/** Learning-rate schedules: the multiplier on the optimizer's base learning rate at step t. */
export const learningRateScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant') }),
  z.strictObject({
    kind: z.literal('exponential'),
    /** lr · rate^(t / everySteps) */
    rate: z.number().positive().max(1),
    everySteps: z.number().int().positive(),
  }),
  z.strictObject({
    kind: z.literal('step'),
    /** lr · factor^(number of boundaries passed) */
    boundaries: z.array(z.number().int().nonnegative()),
    factor: z.number().positive(),
  }),
  z.strictObject({
    kind: z.literal('cosine'),
    /** Cosine decay from lr to lr · minFactor over totalSteps. */
    totalSteps: z.number().int().positive(),
    minFactor: z.number().min(0).max(1).default(0),
  }),
  z.strictObject({
    kind: z.literal('warmup'),
    /** Linear warm-up from 0 to lr over warmupSteps, constant after. */
    warmupSteps: z.number().int().positive(),
  }),
]);
export type LearningRateSchedule = z.infer<typeof learningRateScheduleSchema>;

export const trainConfigSchema = z
  .strictObject({
    /** Total training steps (a step is one pass over the players' schedule). */
    steps: z.number().int().positive().optional(),
    /** Alternatively, epochs over the training set. */
    epochs: z.number().positive().optional(),
    batchSize: z.number().int().positive().default(128),
    optimizer: optimizerConfigSchema.default({
      name: 'adam',
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    }),
    schedule: learningRateScheduleSchema.default({ kind: 'constant' }),
    /** Clip each player's gradients to this global L2 norm. */
    clipNorm: z.number().positive().optional(),
    seed: z.number().int().nonnegative().default(0),
    /** Evaluate on held-out data every N steps (0: only at the end). */
    evalEvery: z.number().int().nonnegative().default(0),
    /**
     * When the Trainer evaluates the objective on a validation set (no `evaluate` function given), use at
     * most this many validation batches per evaluation (all when unset).
     */
    evalBatches: z.number().int().positive().optional(),
    /** Write a checkpoint every N steps (0: none by step count). */
    checkpointEvery: z.number().int().nonnegative().default(0),
    /**
     * Also write a checkpoint once this many seconds of training have passed since the last one (0: none
     * by time), so a crash loses at most about this much work whatever the step count. A checkpoint costs
     * one host read of the weights and optimizer state and one forward pass (see the Trainer's guard).
     */
    checkpointSeconds: z.number().nonnegative().default(60),
    /** Log metrics every N steps. */
    logEvery: z.number().int().positive().default(10),
    /**
     * Data-parallel training: each batch is split into this many shards whose gradients are computed at
     * once, one on the calling thread and the rest on gradient workers (the Trainer's `workers` pool)
     * and averaged. Runs with the same seed and the same number of workers are identical; other numbers
     * of workers draw other random numbers per shard.
     */
    workers: z.number().int().positive().default(1),
  })
  .refine((c) => !(c.steps !== undefined && c.epochs !== undefined), {
    message: 'give either steps or epochs, not both',
    path: ['steps'],
  })
  .refine((c) => c.workers <= c.batchSize, {
    message: 'workers: each worker needs at least one example of the batch; use at most batchSize workers',
    path: ['workers'],
  });
export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
