/**
 * The user's own data without files on disk (the browser, a worker, or any runtime): arrays, CSV text,
 * .npy bytes, and picked image files. Each returns train / test (and validation) datasets made like the
 * registered user sets (`image-folder`, `csv`, `npy` in the Node entry), with the same options and checks.
 */
import { ConfigError, DataError, formatZodIssues } from '@genzoo/core';
import type { z } from 'zod';
import { parseCsvText } from '../formats/csv.js';
import { parseNpy } from '../formats/npy.js';
import { imageInfo, type RgbaImage, toPixels } from '../formats/pixels.js';
import type { Splits } from '../registry/splits.js';
import { imageLayout, labelsFromNames, layoutShape } from './images.js';
import {
  type ArraysInput,
  arraysOptionsSchema,
  type CsvTextInput,
  csvTextOptionsSchema,
  type ImageFilesInput,
  imageFilesOptionsSchema,
} from './options.js';
import { userImageSplits, userVectorSplits } from './splits.js';

function parse<S extends z.ZodType>(schema: S, options: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) throw new ConfigError(`invalid options for ${what}: ${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

/** Observed [min, max] of float values; a non-finite value is a DataError naming its example. */
export function valueRange(values: Float32Array, rowSize: number, what: string): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new DataError(
        `${what}: value ${v} in example ${Math.floor(i / rowSize)} (element ${i % rowSize}) is not finite`,
      );
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export interface ArraysInit {
  /** e.g. `my-data`; datasets are named `<name>/train`, `<name>/test`. */
  name?: string;
  /** All examples, row-major: Uint8Array for 8-bit images (read as byte/255), else Float32Array. */
  values: Float32Array | Uint8Array;
  /** Shape of `values`: [N, D] vectors, [N, H, W] or [N, H, W, C] images. */
  shape: readonly number[];
  /** One class per example: integers in [0, numClasses). */
  labels?: ArrayLike<number>;
  /** Default: the largest label + 1 (or the number of class names). */
  numClasses?: number;
  classNames?: readonly string[];
}

function eventShapeOf(shape: readonly number[], what: string): number[] {
  if (shape.length < 2 || shape.length > 4 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(
      `${what}: shape must be [N, D], [N, H, W] or [N, H, W, C] with positive sizes, got [${shape.join(', ')}]`,
    );
  }
  const event = shape.slice(1);
  return event.length === 2 ? [...event, 1] : event;
}

/**
 * Datasets from arrays in memory: bytes are 8-bit images (the built-in image options apply: `range`,
 * `binarize`, `dequantize`, `flatten`), floats are vectors described by their observed range (`range`
 * rescales it). Returns train / test (a seeded `test` fraction, 10 % by default) and validation.
 */
export function datasetFromArrays(init: ArraysInit, options: ArraysInput = {}): Splits {
  const name = init.name ?? 'arrays';
  const parsed = parse(arraysOptionsSchema, options, name);
  const eventShape = eventShapeOf(init.shape, name);
  const count = init.shape[0];
  const rowSize = eventShape.reduce((a, b) => a * b, 1);
  if (init.values.length !== count * rowSize) {
    throw new DataError(
      `${name}: ${init.values.length} values for shape [${init.shape.join(', ')}] (${count * rowSize})`,
    );
  }
  let labels: Int32Array | undefined;
  let numClasses = init.numClasses;
  if (init.labels) {
    if (init.labels.length !== count)
      throw new DataError(`${name}: ${init.labels.length} labels for ${count} examples`);
    labels = Int32Array.from(init.labels);
    labels.forEach((label, i) => {
      if (!(Number.isInteger(label) && label >= 0)) {
        throw new DataError(`${name}: label ${label} of example ${i} is not a non-negative integer`);
      }
    });
    numClasses ??= init.classNames?.length ?? Math.max(...labels) + 1;
  }
  const classNames = labels ? init.classNames : undefined;
  if (init.values instanceof Uint8Array) {
    return userImageSplits(
      name,
      { count, pixels: init.values, ...(labels ? { labels } : {}) },
      undefined,
      eventShape,
      numClasses,
      classNames,
      parsed,
    );
  }
  const observed = valueRange(init.values, rowSize, name);
  const vectorShape = init.shape.length === 2 ? [rowSize] : eventShape;
  return userVectorSplits(
    name,
    { count, values: init.values, ...(labels ? { labels } : {}) },
    vectorShape,
    numClasses,
    observed,
    parsed,
  );
}

/**
 * Datasets from .npy bytes (see parseNpy): '|u1' arrays are 8-bit images or vectors, other dtypes float.
 * `labels`: the bytes of a second .npy with one integer label per example.
 */
export function datasetFromNpy(
  bytes: Uint8Array,
  options: ArraysInput = {},
  extra: { name?: string; labels?: Uint8Array } = {},
): Splits {
  const name = extra.name ?? 'npy';
  const array = parseNpy(bytes, name);
  const labels = extra.labels ? npyLabels(extra.labels, `${name} labels`, array.shape[0]) : undefined;
  return datasetFromArrays(
    { name, values: array.values, shape: array.shape, ...(labels ? { labels } : {}) },
    options,
  );
}

/** Integer labels from .npy bytes: one per example. */
export function npyLabels(bytes: Uint8Array, what: string, count: number | undefined): Int32Array {
  const array = parseNpy(bytes, what);
  if (array.shape.length !== 1 || (count !== undefined && array.shape[0] !== count)) {
    throw new DataError(
      `${what}: labels must have shape (${count ?? 'N'},), got (${array.shape.join(', ')})`,
    );
  }
  if (array.header.kind === 'f')
    throw new DataError(`${what}: labels must be integers, got dtype '${array.header.descr}'`);
  return Int32Array.from(array.values);
}

/** Datasets from CSV text (see parseCsvText); `labelColumn` gives classes. */
export function datasetFromCsvText(text: string, options: CsvTextInput = {}, name = 'csv'): Splits {
  const parsed = parse(csvTextOptionsSchema, options, name);
  const table = parseCsvText(
    text,
    {
      delimiter: parsed.delimiter,
      ...(parsed.header !== undefined ? { header: parsed.header } : {}),
      ...(parsed.labelColumn !== undefined ? { labelColumn: parsed.labelColumn } : {}),
    },
    name,
  );
  const splits = userVectorSplits(
    name,
    { count: table.rows, values: table.values, ...(table.labels ? { labels: table.labels } : {}) },
    [table.layout.width],
    table.numClasses,
    valueRange(table.values, table.layout.width, name),
    parsed,
  );
  return splits;
}

/** Decodes an image file to RGBA; by default with createImageBitmap and an OffscreenCanvas. */
export type ImageDecoder = (bytes: Uint8Array, file: string, blob: Blob) => Promise<RgbaImage>;

interface CanvasGlobals {
  createImageBitmap?: (blob: Blob) => Promise<{ width: number; height: number; close?(): void }>;
  OffscreenCanvas?: new (
    width: number,
    height: number,
  ) => {
    getContext(kind: '2d'): {
      drawImage(image: unknown, x: number, y: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    } | null;
  };
}

/** The browser's decoder: createImageBitmap + OffscreenCanvas, or a ConfigError saying what is missing. */
export const canvasDecoder: ImageDecoder = async (_bytes, file, blob) => {
  const g = globalThis as CanvasGlobals;
  if (typeof g.createImageBitmap !== 'function' || typeof g.OffscreenCanvas !== 'function') {
    throw new ConfigError(
      'datasetFromImageFiles needs createImageBitmap and OffscreenCanvas (a browser or a web worker) to decode ' +
        "images; in Node use the image-folder dataset of '@genzoo/datasets/node', or pass options.decode",
    );
  }
  let bitmap: { width: number; height: number; close?(): void };
  try {
    bitmap = await g.createImageBitmap(blob);
  } catch (error) {
    throw new DataError(`${file}: cannot decode the image (${(error as Error).message})`, { cause: error });
  }
  const canvas = new g.OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new ConfigError('OffscreenCanvas has no 2d context here');
  context.drawImage(bitmap, 0, 0);
  bitmap.close?.();
  return {
    width: bitmap.width,
    height: bitmap.height,
    data: context.getImageData(0, 0, bitmap.width, bitmap.height).data,
  };
};

export interface ImageFilesExtra {
  name?: string;
  /**
   * The class of each file. By default, when the files were picked as a folder (`webkitRelativePath`
   * `root/class/file.png`), the sub-folder names; otherwise no labels.
   */
  classes?: readonly string[];
  /** How files are decoded to RGBA (default: canvasDecoder). */
  decode?: ImageDecoder;
}

function fileName(file: Blob, i: number): string {
  const named = file as Blob & { name?: string; webkitRelativePath?: string };
  return named.webkitRelativePath || named.name || `file ${i}`;
}

/**
 * Datasets from image files the user picked (File or Blob objects, PNG or JPEG), with the options of the
 * `image-folder` dataset: size (or width and height), channels, resize, range, binarize, ... and a test split.
 */
export async function datasetFromImageFiles(
  files: readonly Blob[],
  options: ImageFilesInput = {},
  extra: ImageFilesExtra = {},
): Promise<Splits> {
  const name = extra.name ?? 'images';
  const parsed = parse(imageFilesOptionsSchema, options, name);
  if (files.length === 0) throw new ConfigError(`${name}: no image files given`);
  const decode = extra.decode ?? canvasDecoder;
  const items = await Promise.all(
    files.map(async (blob, i) => {
      const file = fileName(blob, i);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      return { file, blob, bytes, info: imageInfo(bytes, file) };
    }),
  );
  let classes = extra.classes;
  if (classes && classes.length !== files.length) {
    throw new ConfigError(`${name}: ${classes.length} classes for ${files.length} files`);
  }
  if (!classes) {
    const parts = items.map((item) => item.file.split('/'));
    if (parts.every((p) => p.length >= 3)) classes = parts.map((p) => p[p.length - 2]);
  }
  const layout = imageLayout(items, parsed, name);
  const eventShape = layoutShape(layout);
  const rowSize = eventShape.reduce((a, b) => a * b, 1);
  const pixels = new Uint8Array(items.length * rowSize);
  for (const [i, item] of items.entries()) {
    const image = await decode(item.bytes, item.file, item.blob);
    toPixels(image, layout, pixels, i * rowSize);
  }
  const labelled = classes ? labelsFromNames(classes) : undefined;
  return userImageSplits(
    name,
    { count: items.length, pixels, ...(labelled ? { labels: labelled.labels } : {}) },
    undefined,
    eventShape,
    labelled?.classNames.length,
    labelled?.classNames,
    parsed,
  );
}
