/**
 * The user's data (in memory or read on demand) → train / validation / test, with the same transforms,
 * limits and checks as the built-in sets. Without a test part of its own, a seeded fraction (`test`, 10 %
 * by default, seed `testSeed`) is held out; each side keeps the file order.
 */
import { ConfigError, DataError, type DataValues, deriveSeed } from '@genzoo/core';
import { InMemoryDataset } from '../dataset/in-memory.js';
import { holdOut, type ValidationSize } from '../dataset/split.js';
import { isRowSource, type RowSource } from '../dataset/store.js';
import { type ImageRows, imageSplits, type Splits, withValidation } from '../registry/splits.js';
import { scaleTo } from '../transforms/scale.js';

/** Rows of float32 vectors (or float images), in memory or read on demand. */
export interface VectorRows {
  count: number;
  values: Float32Array | RowSource;
  labels?: Int32Array | Uint8Array;
}

export interface UserSplitOptions {
  test?: ValidationSize;
  testSeed: number;
  validation?: ValidationSize;
  splitSeed: number;
  trainLimit?: number;
  testLimit?: number;
  flatten?: boolean;
  range?: [number, number];
  binarize?: 'none' | 'static' | 'dynamic';
  binarizeSeed?: number;
  dequantize?: boolean;
}

const DEFAULT_TEST: ValidationSize = { fraction: 0.1 };

/** Train and test indices of `count` examples: `test` of them, chosen by (seed), held out; order kept. */
export function testSplitIndices(count: number, test: ValidationSize, seed: number) {
  const { kept, held } = holdOut(count, test, deriveSeed(seed, 'test-split'));
  return { train: kept, test: held };
}

/** The rows `indices` of `data` (rows of `rowSize`): copied from an array, mapped for a row source. */
export function pickRows<T extends Uint8Array | Float32Array>(
  data: T | RowSource,
  rowSize: number,
  indices: Int32Array,
): T | RowSource {
  if (isRowSource(data)) {
    return {
      rows: indices.length,
      dtype: data.dtype,
      read: (rows, out) =>
        data.read(
          Int32Array.from(rows as ArrayLike<number>, (r) => indices[r]),
          out,
        ),
    };
  }
  const out = new (data.constructor as { new (n: number): T })(indices.length * rowSize);
  indices.forEach((row, i) => {
    out.set(data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  });
  return out;
}

function pickLabels(labels: Int32Array | Uint8Array | undefined, indices: Int32Array) {
  return labels ? Int32Array.from(indices, (i) => labels[i]) : undefined;
}

function split<R extends { count: number; labels?: Int32Array | Uint8Array }>(
  all: R,
  own: R | undefined,
  options: UserSplitOptions,
  pick: (rows: R, indices: Int32Array) => R,
): { train: R; test: R } {
  if (own) {
    if (options.test)
      throw new ConfigError('the data has its own test part (a test folder); do not give `test` as well');
    return { train: all, test: own };
  }
  const { train, test } = testSplitIndices(all.count, options.test ?? DEFAULT_TEST, options.testSeed);
  return { train: pick(all, train), test: pick(all, test) };
}

/** 8-bit images (or vectors) → splits, exactly as the built-in image sets make them. */
export function userImageSplits(
  name: string,
  all: ImageRows,
  ownTest: ImageRows | undefined,
  eventShape: readonly number[],
  numClasses: number | undefined,
  classNames: readonly string[] | undefined,
  options: UserSplitOptions,
): Splits {
  const rowSize = eventShape.reduce((a, b) => a * b, 1);
  const parts = split(all, ownTest, options, (rows, indices) => ({
    count: indices.length,
    pixels: pickRows(rows.pixels, rowSize, indices),
    ...(rows.labels ? { labels: pickLabels(rows.labels, indices) } : {}),
  }));
  return imageSplits(
    name,
    parts,
    eventShape,
    numClasses,
    {
      ...options,
      dequantize: options.dequantize ?? false,
      range: options.range ?? [0, 1],
      flatten: options.flatten ?? false,
    },
    classNames,
  );
}

/**
 * Float vectors (or float images) → splits. Their values are described by the range observed over all
 * the data (`observed`), the same for every split; `range` rescales from it. Binarization and
 * dequantization are for 8-bit data only.
 */
export function userVectorSplits(
  name: string,
  all: VectorRows,
  eventShape: readonly number[],
  numClasses: number | undefined,
  observed: [number, number],
  options: UserSplitOptions,
): Splits {
  if ((options.binarize && options.binarize !== 'none') || options.dequantize) {
    throw new ConfigError(
      `${name}: binarize and dequantize need 8-bit data (bytes); these values are floats`,
    );
  }
  if (options.range && !(observed[0] < observed[1])) {
    throw new DataError(
      `${name}: every value is ${observed[0]}; constant data cannot be rescaled to a range`,
    );
  }
  const rowSize = eventShape.reduce((a, b) => a * b, 1);
  const parts = split(all, undefined, options, (rows, indices) => ({
    count: indices.length,
    values: pickRows(rows.values, rowSize, indices),
    ...(rows.labels ? { labels: pickLabels(rows.labels, indices) } : {}),
  }));
  const values: DataValues = { kind: 'continuous', range: observed };
  const make = (part: 'train' | 'test', rows: VectorRows, limit: number | undefined) => {
    const dataset = InMemoryDataset.fromArrays({
      name: `${name}/${part}`,
      eventShape,
      examples: rows.values,
      values,
      ...(rows.labels ? { labels: rows.labels, numClasses } : {}),
    });
    return limit !== undefined && limit < dataset.size ? dataset.take(limit) : dataset;
  };
  const splits = withValidation(
    name,
    make('train', parts.train, options.trainLimit),
    make('test', parts.test, options.testLimit),
    options,
  );
  const { range } = options;
  const finish = (dataset: InMemoryDataset) => {
    let out = range ? dataset.withTransforms(scaleTo(range)) : dataset;
    if (options.flatten && eventShape.length > 1) out = out.reshape([rowSize]);
    return out;
  };
  return {
    train: finish(splits.train),
    test: finish(splits.test),
    ...(splits.validation ? { validation: finish(splits.validation) } : {}),
  };
}
