/**
 * Options of the user-data sets (`image-folder`, `csv`, `npy`) and of the browser constructors: the image
 * options of the built-in image sets (`range`, `binarize`, `dequantize`, `flatten`, limits, `validation`)
 * under the same names, so a model's recipe works on the user's images, plus the split into train and test
 * and where the data is.
 */
import { z } from 'zod';
import {
  binarization,
  checkImage,
  image,
  offlineOnly,
  rangeValue,
  split,
  validationSize,
} from '../registry/options.js';

/** Left out of the stored spec: they say how the data is read, not what it is. `path` is kept. */
export const USER_SOURCE_KEYS = ['offline', 'stream', 'maxInMemoryBytes'] as const;

/** Above this many bytes of decoded examples a user set is streamed from disk unless `stream` says. */
export const DEFAULT_MAX_IN_MEMORY_BYTES = 512 * 1024 * 1024;

const location = {
  /** The folder or file (Node). Recorded in the spec, with the fingerprint of what it held. */
  path: z.string().min(1).optional(),
  /** Content fingerprint of the files (recorded at load; a reload refuses other files). */
  fingerprint: z.string().min(1).optional(),
  /** Read batches from disk (true), load everything (false); default: stream above maxInMemoryBytes. */
  stream: z.boolean().optional(),
  maxInMemoryBytes: z.number().int().positive().default(DEFAULT_MAX_IN_MEMORY_BYTES),
  ...offlineOnly,
};

const testSplit = {
  /** Held out as the test split (seeded by testSeed) when the data has no test part of its own; 10 % by default. */
  test: validationSize.optional(),
  testSeed: z.number().int().nonnegative().default(0),
};

const limits = { trainLimit: image.trainLimit, testLimit: image.testLimit, ...split };

const imageLayout = {
  /** Resize every image to size × size. */
  size: z.number().int().positive().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** 1: greyscale (BT.601 luma), 3: RGB; by default 1 when every image is stored grey, else 3. */
  channels: z.union([z.literal(1), z.literal(3)], { error: 'channels must be 1 or 3' }).optional(),
  /** How images are resized: area averaging, bilinear or nearest neighbour. */
  resize: z.enum(['area', 'bilinear', 'nearest']).default('area'),
};

function checkSize(options: { size?: number; width?: number; height?: number }, ctx: z.RefinementCtx): void {
  if (options.size !== undefined && (options.width !== undefined || options.height !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['size'], message: 'give size, or width and height, not both' });
  }
  if ((options.width === undefined) !== (options.height === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['width'], message: 'width and height go together' });
  }
}

const imageFolderShape = { ...image, ...binarization, ...imageLayout, ...testSplit, ...location };

/** `image-folder`: PNG/JPEG files, labels from sub-folder names. */
export const imageFolderOptionsSchema = z.strictObject(imageFolderShape).superRefine((options, ctx) => {
  checkImage(options, ctx);
  checkSize(options, ctx);
});

/** `datasetFromImageFiles` (browser): the same without the location options. */
export const imageFilesOptionsSchema = z
  .strictObject({ ...image, ...binarization, ...imageLayout, ...testSplit })
  .superRefine((options, ctx) => {
    checkImage(options, ctx);
    checkSize(options, ctx);
  });

const csvShape = {
  delimiter: z.string().min(1).default(','),
  /** Whether line 1 names the columns; by default when one of its cells is not a number. */
  header: z.boolean().optional(),
  /** The label column, by header name or 0-based index. */
  labelColumn: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  /** Rescale the values from their observed range (over the whole file) to [0, 1] or [-1, 1]. */
  range: rangeValue.optional(),
  ...testSplit,
  ...limits,
};

/** `csv`: numeric columns, optional header and label column. */
export const csvOptionsSchema = z.strictObject({ ...csvShape, ...location });
export const csvTextOptionsSchema = z.strictObject(csvShape);

const npyShape = {
  /** A second .npy with one integer label per example (Node: a path; the browser: give labels). */
  labelsPath: z.string().min(1).optional(),
  ...image,
  /** 8-bit ('|u1') data: [0, 1] by default as for built-in images; other dtypes: rescaled from the observed range. */
  range: rangeValue.optional(),
  ...binarization,
  ...testSplit,
};

/** `npy`: an (N, D) array of vectors or (N, H, W) / (N, H, W, C) images. */
export const npyOptionsSchema = z.strictObject({ ...npyShape, ...location }).superRefine((options, ctx) => {
  checkImage({ ...options, range: options.range ?? [0, 1] }, ctx);
});

/** `datasetFromArrays` / `datasetFromNpy` (browser): image options and the test split. */
export const arraysOptionsSchema = z
  .strictObject({ ...image, range: rangeValue.optional(), ...binarization, ...testSplit })
  .superRefine((options, ctx) => checkImage({ ...options, range: options.range ?? [0, 1] }, ctx));

export type ImageFolderOptions = z.output<typeof imageFolderOptionsSchema>;
export type ImageFilesOptions = z.output<typeof imageFilesOptionsSchema>;
export type CsvFileOptions = z.output<typeof csvOptionsSchema>;
export type CsvTextOptions = z.output<typeof csvTextOptionsSchema>;
export type NpyFileOptions = z.output<typeof npyOptionsSchema>;
export type ArraysOptions = z.output<typeof arraysOptionsSchema>;
export type ImageFilesInput = z.input<typeof imageFilesOptionsSchema>;
export type CsvTextInput = z.input<typeof csvTextOptionsSchema>;
export type ArraysInput = z.input<typeof arraysOptionsSchema>;
