/** Turns loaded examples and parsed options into the train / validation / test datasets. */
import { type DataValues, deriveSeed, Random } from '@genzoo/core';
import { InMemoryDataset } from '../dataset/in-memory.js';
import { splitValidation, type ValidationSize } from '../dataset/split.js';
import type { LabelledBytes } from '../loaders/idx-files.js';
import type { ToyGenerator } from '../toy/generator.js';
import { dynamicBinarization, staticBinarization } from '../transforms/binarize.js';
import { uniformDequantization } from '../transforms/dequantize.js';
import { scaleTo } from '../transforms/scale.js';
import type { Transform } from '../transforms/transform.js';

export interface Splits {
  train: InMemoryDataset;
  test: InMemoryDataset;
  validation?: InMemoryDataset;
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

function withValidation(
  name: string,
  train: InMemoryDataset,
  test: InMemoryDataset,
  options: SplitOptions,
): Splits {
  if (!options.validation) return { train, test };
  const split = splitValidation(train, options.validation, options.splitSeed, name);
  return { train: split.train, validation: split.validation, test };
}

function imageTransforms(split: string, options: ImageSplitOptions): Transform[] {
  const transforms: Transform[] = [];
  if (options.binarize === 'static')
    transforms.push(staticBinarization(deriveSeed(options.binarizeSeed ?? 0, split)));
  if (options.binarize === 'dynamic') transforms.push(dynamicBinarization());
  if (options.dequantize) transforms.push(uniformDequantization(256));
  if (options.range[0] !== 0 || options.range[1] !== 1) transforms.push(scaleTo(options.range));
  return transforms;
}

/** 8-bit labelled images → splits with the requested limits, transforms, shape and validation split. */
export function imageSplits(
  name: string,
  data: { train: LabelledBytes; test: LabelledBytes },
  eventShape: readonly number[],
  numClasses: number,
  options: ImageSplitOptions,
): Splits {
  const make = (split: 'train' | 'test', bytes: LabelledBytes, limit: number | undefined) => {
    let dataset = InMemoryDataset.fromArrays({
      name: `${name}/${split}`,
      eventShape,
      examples: bytes.pixels,
      labels: bytes.labels,
      numClasses,
    });
    if (limit !== undefined && limit < dataset.size) dataset = dataset.take(limit);
    dataset = dataset.withTransforms(...imageTransforms(split, options));
    return options.flatten ? dataset.reshape([dataset.eventShape.reduce((a, b) => a * b, 1)]) : dataset;
  };
  return withValidation(
    name,
    make('train', data.train, options.trainLimit),
    make('test', data.test, options.testLimit),
    options,
  );
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
