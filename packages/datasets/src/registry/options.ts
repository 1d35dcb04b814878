/**
 * Dataset options as strict zod schemas: unknown keys and bad values are errors that name the key, and
 * defaults are filled in, so the parsed options are a complete, plain-JSON description of the data. Options
 * that only say where files are (`path`, `offline`, `cacheDir`) are kept apart: they do not change the data
 * and are left out of the stored spec.
 */
import { z } from 'zod';

export const SOURCE_KEYS = ['path', 'offline', 'cacheDir'] as const;

/** Where file-backed datasets are read from; see `findSource`. */
const fileSource = {
  path: z.string().min(1).optional(),
  offline: z.boolean().optional(),
  cacheDir: z.string().min(1).optional(),
};

/** Accepted everywhere so a global "no downloads" setting can be passed to any dataset. */
export const offlineOnly = { offline: z.boolean().optional() };

export const validationSize = z.union([
  z.strictObject({ fraction: z.number().gt(0).lt(1) }),
  z.strictObject({ count: z.number().int().positive() }),
]);

export const split = {
  /** Hold out part of the training examples as a validation split: `{ fraction }` or `{ count }`. */
  validation: validationSize.optional(),
  /** Seed of the validation split. */
  splitSeed: z.number().int().nonnegative().default(0),
};

/** [0, 1] or [-1, 1], without a default. */
export const rangeValue = z.union(
  [z.tuple([z.literal(0), z.literal(1)]), z.tuple([z.literal(-1), z.literal(1)])],
  {
    error: 'range must be [0, 1] or [-1, 1]',
  },
);

export const range = rangeValue.default([0, 1]);

export const image = {
  /** Add uniform dequantization noise: (255·x + u)/256, u ~ U[0, 1), fresh per batch. */
  dequantize: z.boolean().default(false),
  /** Value range of continuous pixels. */
  range,
  /** Examples as vectors ([784]) instead of images ([28, 28, 1]). */
  flatten: z.boolean().default(false),
  /** Use only the first N training examples (before the validation split). */
  trainLimit: z.number().int().positive().optional(),
  /** Use only the first N test examples. */
  testLimit: z.number().int().positive().optional(),
  ...split,
};

export const binarization = {
  /**
   * `static`: x ~ Bernoulli(p) drawn once per example (seeded); `dynamic`: training examples are drawn
   * afresh for every batch, while the held-out splits (test, validation) are binarized once, exactly as
   * `static` binarizes them, so evaluation is deterministic (train on fresh draws, test on one fixed draw).
   */
  binarize: z.enum(['none', 'static', 'dynamic']).default('none'),
  /**
   * Seed of static binarization (and of the held-out splits under `dynamic`); the test split uses
   * deriveSeed(binarizeSeed, 'test'), train and validation examples deriveSeed(binarizeSeed, 'train').
   */
  binarizeSeed: z.number().int().nonnegative().default(0),
};

interface ImageChecks {
  binarize?: 'none' | 'static' | 'dynamic';
  dequantize: boolean;
  range: [number, number];
}

export function checkImage(options: ImageChecks, ctx: z.RefinementCtx): void {
  if (options.binarize && options.binarize !== 'none') {
    if (options.dequantize) {
      ctx.addIssue({ code: 'custom', path: ['dequantize'], message: 'binarized data cannot be dequantized' });
    }
    if (options.range[0] !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['range'],
        message: 'binarized data is {0, 1}; range applies to grey levels',
      });
    }
  }
}

/** MNIST and Fashion-MNIST (files). */
export const idxOptionsSchema = z
  .strictObject({ ...image, ...binarization, ...fileSource })
  .superRefine(checkImage);
/** mnist-10k (bundled in the `mnist` package). */
export const mnist10kOptionsSchema = z
  .strictObject({ ...image, ...binarization, ...offlineOnly })
  .superRefine(checkImage);
/** CIFAR-10: colour images are not binarized. */
export const cifarOptionsSchema = z.strictObject({ ...image, ...fileSource }).superRefine(checkImage);

/**
 * Unpaired domain pairs from mnist-10k (see loaders/domain-pairs.ts): grey levels only, as pairs of
 * images, so no binarization, dequantization or flattening.
 */
export const domainPairsOptionsSchema = z.strictObject({
  range,
  /** Pair only the first N training digits among themselves (before the validation split). */
  trainLimit: image.trainLimit,
  /** Pair only the first N test digits among themselves. */
  testLimit: image.testLimit,
  ...split,
  /** Seed of the random cycle that gives each digit of domain A its partner in domain B. */
  pairSeed: z.number().int().nonnegative().default(0),
  ...offlineOnly,
});

/**
 * The unpaired multi-domain set from mnist-10k (see loaders/domain-sets.ts): grey levels only, as images,
 * so no binarization, dequantization or flattening.
 */
export const domainSetOptionsSchema = z.strictObject({
  range,
  /** Spread only the first N training digits over the domains (before the validation split). */
  trainLimit: image.trainLimit,
  /** Spread only the first N test digits over the domains. */
  testLimit: image.testLimit,
  ...split,
  /** Seed of the random permutation that puts each digit in one domain. */
  domainSeed: z.number().int().nonnegative().default(0),
  ...offlineOnly,
});

/** 2-D toy sets. */
export const toyOptionsSchema = z.strictObject({
  /** Training examples. */
  n: z.number().int().positive().default(10_000),
  /** Test examples. */
  testSize: z.number().int().positive().default(2_000),
  /** Noise level; its meaning and default are per set (see each generator). */
  noise: z.number().nonnegative().optional(),
  /** Train and test are drawn with seeds derived from (seed, set name, split). */
  seed: z.number().int().nonnegative().default(0),
  ...split,
  ...offlineOnly,
});

export type IdxOptions = z.output<typeof idxOptionsSchema>;
export type CifarOptions = z.output<typeof cifarOptionsSchema>;
export type Mnist10kOptions = z.output<typeof mnist10kOptionsSchema>;
export type ToyOptions = z.output<typeof toyOptionsSchema>;
export type DomainPairsOptions = z.output<typeof domainPairsOptionsSchema>;
export type DomainSetOptions = z.output<typeof domainSetOptionsSchema>;
