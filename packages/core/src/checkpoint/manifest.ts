/**
 * The checkpoint manifest: everything besides the tensor bytes, as JSON validated by a zod schema, so a
 * hand-edited or foreign `manifest.json` is rejected with the offending key named.
 */
import { z } from 'zod';
import { optimizerConfigSchema, trainConfigSchema } from '../training/config.js';

export const CHECKPOINT_FORMAT = 'genzoo-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
/** How run seeds are turned into data orders and op seeds (see training/batch-stream.ts and trainer.ts). */
export const RNG_SCHEME = 'genzoo-derive-v1';

const count = z.number().int().nonnegative();

export const tensorSpecSchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(count),
  dtype: z.enum(['float32', 'int32']),
  /** Byte offset in the binary file. */
  offset: count,
  byteLength: count,
});
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

const binaryFileSchema = {
  file: z.string().min(1),
  byteLength: count,
  /** CRC-32 (IEEE) of the whole file. */
  crc32: count,
};

const metricValuesSchema = z.record(z.string(), z.number().nullable());

export const checkpointManifestSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  formatVersion: z.literal(CHECKPOINT_FORMAT_VERSION),
  /** ISO 8601 time of writing. */
  createdAt: z.string(),
  genzooCoreVersion: z.string(),
  model: z.strictObject({
    name: z.string().min(1),
    /** Package of the plugin that defines the model, and its version when the checkpoint was written. */
    plugin: z.string().min(1),
    pluginVersion: z.string(),
    config: z.record(z.string(), z.unknown()),
    eventShape: z.array(z.number().int().positive()),
    numClasses: z.number().int().positive().optional(),
    /** Seed the model was created with. */
    seed: count,
  }),
  train: trainConfigSchema,
  state: z.strictObject({
    /** Completed training steps. */
    step: count,
    epoch: count,
    batchInEpoch: count,
    /** Batches consumed since the start of training. */
    batchIndex: count,
    /** Size of the training set, which the data order depends on. */
    trainExamples: count,
    /** Training seconds so far, over all runs. */
    seconds: z.number().nonnegative(),
    rng: z.strictObject({ seed: count, scheme: z.literal(RNG_SCHEME) }),
  }),
  /** Last training metrics and last evaluation, for `genzoo info`-style summaries (null: not finite). */
  metrics: z.strictObject({ train: metricValuesSchema, eval: metricValuesSchema }),
  /** Free JSON from whoever ran the training (dataset name and options, evaluation settings). */
  run: z.record(z.string(), z.unknown()),
  weights: z.strictObject({ ...binaryFileSchema, tensors: z.array(tensorSpecSchema) }),
  optimizer: z.strictObject({
    ...binaryFileSchema,
    players: z.array(
      z.strictObject({
        player: z.string().min(1),
        config: optimizerConfigSchema,
        /** Updates the optimizer has applied. */
        iterations: count,
        tensors: z.array(tensorSpecSchema),
      }),
    ),
  }),
});
export type CheckpointManifest = z.infer<typeof checkpointManifestSchema>;
