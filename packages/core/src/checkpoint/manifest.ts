/**
 * The checkpoint manifest: everything besides the tensor bytes, as JSON validated by a zod schema, so a
 * hand-edited or foreign `manifest.json` is rejected with the offending key named.
 *
 * A manifest may come from anyone (a downloaded run), so the schema also bounds what it can make the
 * loader do: the binary files are plain names inside the checkpoint folder (never a path), and sizes
 * and offsets have upper bounds.
 */
import { z } from 'zod';
import { optimizerConfigSchema, trainConfigSchema } from '../training/config.js';

export const CHECKPOINT_FORMAT = 'genzoo-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
/** How run seeds are turned into data orders and op seeds (see training/batch-stream.ts and trainer.ts). */
export const RNG_SCHEME = 'genzoo-derive-v1';

/** Largest binary file a manifest may declare: far above any genzoo model, far below a disk-filling read. */
export const MAX_BINARY_FILE_BYTES = 16 * 1024 ** 3;
/** Longest binary file name; genzoo writes `weights.bin` and `optimizer.bin`. */
export const MAX_FILE_NAME_LENGTH = 128;

const count = z.number().int().nonnegative();
const byteCount = count.max(MAX_BINARY_FILE_BYTES, 'is larger than the 16 GiB a checkpoint file may have');

/**
 * Why `name` is not a plain file name in the checkpoint folder, or undefined when it is. Anything that
 * could reach another folder (separators, `..`, absolute and drive paths) is refused before the loader
 * touches the file system, so a hostile manifest learns nothing about files outside the folder.
 */
function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_FILE_NAME_LENGTH)
    return `has ${name.length} characters; a file name may have at most ${MAX_FILE_NAME_LENGTH}`;
  const shown = JSON.stringify(name);
  // Control characters include NUL, which would cut the name short in the operating system.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${shown} contains a control character`;
  if (isAbsolutePath(name)) return `${shown} is an absolute path`;
  if (/[/\\]/.test(name)) return `${shown} contains a path separator`;
  if (name === '.' || name === '..') return `${shown} names a directory`;
  // A colon makes a Windows drive-relative path (`C:x`) or an NTFS stream.
  if (name.includes(':')) return `${shown} contains ":"`;
  return undefined;
}

/**
 * Whether `name` is absolute on POSIX or on Windows (as node:path's posix/win32 isAbsolute): it starts with
 * a separator (also a UNC path), or with a drive letter, a colon and a separator.
 */
function isAbsolutePath(name: string): boolean {
  return /^[/\\]/.test(name) || /^[A-Za-z]:[/\\]/.test(name);
}

const fileNameSchema = z.string().superRefine((name, ctx) => {
  const problem = fileNameProblem(name);
  if (problem)
    ctx.addIssue({
      code: 'custom',
      message: `must be a plain file name in the checkpoint folder, but ${problem}`,
    });
});

export const tensorSpecSchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(count),
  dtype: z.enum(['float32', 'int32']),
  /** Byte offset in the binary file. */
  offset: byteCount,
  byteLength: byteCount,
});
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

const binaryFileSchema = {
  /** A file name in the checkpoint folder (not a path). */
  file: fileNameSchema,
  byteLength: byteCount,
  /** CRC-32 (IEEE) of the whole file. */
  crc32: count.max(0xffffffff),
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
    /**
     * Metric sums and counts since the last log line, so the first line a resumed run logs averages the
     * same steps as an uninterrupted run's (absent: an empty window).
     */
    logWindow: z
      .strictObject({
        sums: z.record(z.string(), z.number()),
        counts: z.record(z.string(), count),
      })
      .optional(),
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
