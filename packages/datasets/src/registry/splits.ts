/** Turns loaded examples and parsed options into the train / validation / test datasets. */
import { type DataValues, deriveSeed, Random } from '@genzoo/core';
import { InMemoryDataset } from '../dataset/in-memory.js';
import { splitValidation, type ValidationSize } from '../dataset/split.js';
import type { RowSource } from '../dataset/store.js';
import type { ToyGenerator } from '../toy/generator.js';
import { dynamicBinarization, staticBinarization } from '../transforms/binarize.js';
import { uniformDequantization } from '../transforms/dequantize.js';
import { scaleTo } from '../transforms/scale.js';
import type { Transform } from '../transforms/transform.js';

export interface Splits {
  train: InMemoryDataset;
  test: InMemoryDataset;
  validation?: InMemoryDataset;
  /**
   * Options the load settled (an absolute path, a content fingerprint, channels found in the files):
   * they go into the stored spec, over the options given.
   */
  recorded?: Record<string, unknown>;
}

/** Labelled or unlabelled 8-bit images, in memory or read on demand. */
export interface ImageRows {
  count: number;
  /** count × rowSize bytes, or a source of them. */
  pixels: Uint8Array | RowSource;
  labels?: Uint8Array | Int32Array;
}

interface SplitOptions {
  validation?: ValidationSize;
  splitSeed: number;
}

export interface ImageSplitOptions extends SplitOptions {
  binarize?: 'none' | 'static' | 'dynamic';
  binarizeSeed?: number;
  dequantize: boolean;
  range: [number, number];
  flatten: boolean;
  trainLimit?: number;
  testLimit?: number;
}

export function withValidation(
  name: string,
  train: InMemoryDataset,
  test: InMemoryDataset,
  options: SplitOptions,
): Splits {
  if (!options.validation) return { train, test };
  const split = splitValidation(train, options.validation, options.splitSeed, name);
  return { train: split.train, validation: split.validation, test };
}

/**
 * The transforms of one split. Only the training examples are binarized dynamically: with `binarize:
 * 'dynamic'` the held-out splits (validation, test) are binarized once, statically, exactly as `'static'`
 * would binarize them, so that held-out likelihoods are deterministic and comparable between runs and
 * models (the protocol of Burda et al. 2016: train on fresh draws, evaluate on one fixed binarization).
 * Validation examples come from the training set and keep the training split's seed; each example's
 * draw depends on (seed, example) only, so validation pixels are the same under `'static'` and
 * `'dynamic'`.
 */
function imageTransforms(
  role: 'train' | 'held-out',
  seedSplit: string,
  options: ImageSplitOptions,
): Transform[] {
  const transforms: Transform[] = [];
  if (options.binarize === 'static' || (options.binarize === 'dynamic' && role === 'held-out'))
    transforms.push(staticBinarization(deriveSeed(options.binarizeSeed ?? 0, seedSplit)));
  if (options.binarize === 'dynamic' && role === 'train') transforms.push(dynamicBinarization());
  if (options.dequantize) transforms.push(uniformDequantization(256));
  if (options.range[0] !== 0 || options.range[1] !== 1) transforms.push(scaleTo(options.range));
  return transforms;
}

/**
 * 8-bit labelled images → splits with the requested limits, transforms, shape and validation split.
 * The validation split is taken before the transforms, so it gets the held-out ones (see imageTransforms).
 */
export function imageSplits(
  name: string,
  data: { train: ImageRows; test: ImageRows },
  eventShape: readonly number[],
  numClasses: number | undefined,
  options: ImageSplitOptions,
  classNames?: readonly string[],
): Splits {
  const load = (split: 'train' | 'test', bytes: ImageRows, limit: number | undefined) => {
    const dataset = InMemoryDataset.fromArrays({
      name: `${name}/${split}`,
      eventShape,
      examples: bytes.pixels,
      ...(bytes.labels ? { labels: bytes.labels, numClasses, ...(classNames ? { classNames } : {}) } : {}),
    });
    return limit !== undefined && limit < dataset.size ? dataset.take(limit) : dataset;
  };
  const finish = (dataset: InMemoryDataset, role: 'train' | 'held-out', seedSplit: string) => {
    const transformed = dataset.withTransforms(...imageTransforms(role, seedSplit, options));
    return options.flatten
      ? transformed.reshape([transformed.eventShape.reduce((a, b) => a * b, 1)])
      : transformed;
  };
  const splits = withValidation(
    name,
    load('train', data.train, options.trainLimit),
    load('test', data.test, options.testLimit),
    options,
  );
  return {
    train: finish(splits.train, 'train', 'train'),
    test: finish(splits.test, 'held-out', 'test'),
    ...(splits.validation ? { validation: finish(splits.validation, 'held-out', 'train') } : {}),
  };
}

export interface ToySplitOptions extends SplitOptions {
  n: number;
  testSize: number;
  noise?: number;
  seed: number;
}

/** A toy set's train and test examples, drawn with seeds derived from (seed, name, split). */
export function toySplits(generator: ToyGenerator, options: ToySplitOptions): Splits {
  const noise = options.noise ?? generator.defaultNoise;
  const values: DataValues = { kind: 'continuous', range: generator.range(noise) };
  const make = (split: 'train' | 'test', n: number) => {
    const sample = generator.generate(n, new Random(deriveSeed(options.seed, generator.name, split)), noise);
    return InMemoryDataset.fromArrays({
      name: `${generator.name}/${split}`,
      eventShape: [2],
      examples: sample.points,
      values,
      ...(sample.labels ? { labels: sample.labels, numClasses: generator.numClasses } : {}),
    });
  };
  return withValidation(generator.name, make('train', options.n), make('test', options.testSize), options);
}
